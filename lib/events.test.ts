import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db";
import { sqlTransaction } from "@/lib/sql";
import { forgetWebhookCache } from "@/lib/webhooks/fanout";
import { insertWebhook } from "@/lib/webhooks/store";
import { eventRecorder, flushEvents, lastActivity, queueEvent, recordEvent } from "./events";

describe("queued audit events", () => {
  it("are written in one batch with every field and their own time", async () => {
    const clientId = `queued-${Date.now()}`;
    const before = new Date();
    for (let index = 0; index < 3; index += 1) {
      queueEvent({
        type: "token.issued",
        clientId,
        scopes: ["a", "b"],
        ip: "192.0.2.1",
        details: { grantType: "client_credentials", index },
      });
    }
    await flushEvents();
    // Queued in one millisecond, they may have any order by time or id: put them in the order they were queued.
    const events = (await db().auditEvent.findMany({ where: { clientId } })).sort(
      (a, b) => JSON.parse(a.details!).index - JSON.parse(b.details!).index,
    );
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ type: "token.issued", scopes: "a b", ip: "192.0.2.1", userId: null, grantId: null });
    expect(JSON.parse(events[2]!.details!)).toEqual({ grantType: "client_credentials", index: 2 });
    expect(events[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
  });

  it("are all written when flushEvents resolves, a batch already on its way included (shutdown relies on it)", async () => {
    const clientId = `in-flight-${Date.now()}`;
    queueEvent({ type: "token.issued", clientId });
    const onItsWay = flushEvents();
    await flushEvents();
    expect(await db().auditEvent.count({ where: { clientId } })).toBe(1);
    await onItsWay;
  });
});

describe("listing events", () => {
  it("pages through them newest first, filters failures and searches by app", async () => {
    const { randomUUID } = await import("node:crypto");
    const { timeOrderedId } = await import("@/lib/crypto");
    const { ensureClient } = await import("../tests/support/unit-fixtures");
    const { listEvents } = await import("./events");
    const clientId = `listed-${randomUUID()}`;
    await ensureClient(clientId);
    const start = Date.now() - 200_000;
    await db().auditEvent.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({
        id: timeOrderedId(start + i * 1000),
        type: i % 10 === 0 ? "token.code_reuse_detected" : "token.issued",
        clientId,
        createdAt: new Date(start + i * 1000),
      })),
    });

    const first = await listEvents({ clientId, limit: 50 });
    expect(first.events).toHaveLength(50);
    expect(first.events[0]!.createdAt.getTime()).toBe(start + 119_000);
    expect(first.events[0]).toMatchObject({ label: "Token issued", failure: false, clientName: `Client ${clientId}` });
    const second = await listEvents({ clientId, limit: 50, before: first.nextBefore! });
    expect(second.events[0]!.createdAt.getTime()).toBe(start + 69_000);
    const third = await listEvents({ clientId, limit: 50, before: second.nextBefore! });
    expect(third.events).toHaveLength(20);
    expect(third.nextBefore).toBeNull();

    const failures = await listEvents({ clientId, failuresOnly: true, limit: 50 });
    expect(failures.events).toHaveLength(12);
    expect(failures.events.every((event) => event.failure && event.label === "Authorization code reused (tokens revoked)")).toBe(true);
    expect((await listEvents({ search: `Client ${clientId}`, limit: 5 })).events.every((event) => event.clientId === clientId)).toBe(true);
  });
});

describe("events written inside a transaction", () => {
  it("go to the webhooks read before the transaction: inside it, nothing waits for another connection", async () => {
    const clientId = `in-transaction-${Date.now()}`;
    const owner = await db().user.create({ data: { id: `owner-${clientId}`, email: `${clientId}@example.com`, passwordHash: "unused" } });
    const record = await eventRecorder();
    // A webhook registered after the recorder read the list, with the cache dropped: only a read inside the transaction would find it.
    const webhook = await insertWebhook({
      id: `wh-${clientId}`,
      clientId: null,
      createdById: owner.id,
      url: "https://hooks.example/in",
      secretSealed: "sealed",
      events: "*",
    });
    forgetWebhookCache();
    try {
      await sqlTransaction((tx) => record({ type: "grant.revoked", clientId }, tx));
      expect(await db().auditEvent.count({ where: { clientId } })).toBe(1);
      expect(await db().webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(0);
      // Recorded on its own, an event reads the list afresh.
      await recordEvent({ type: "grant.revoked", clientId });
      expect(await db().webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(1);
    } finally {
      await db().webhookDelivery.deleteMany({ where: { webhookId: webhook.id } });
      await db().webhook.delete({ where: { id: webhook.id } });
      await db().user.delete({ where: { id: owner.id } });
      forgetWebhookCache();
    }
  });
});

describe("the audit log's lists", () => {
  it.skipIf(getConfig().database.provider !== "sqlite")(
    "walk an index newest first instead of sorting every matching event (SQLite's plan)",
    async () => {
      const plan = async (where: string) =>
        (
          await db().$queryRawUnsafe<{ detail: string }[]>(
            `EXPLAIN QUERY PLAN SELECT "id" FROM "AuditEvent" WHERE ${where} ORDER BY "id" DESC LIMIT 51`,
            ...["x", "y"].slice(0, where.split("?").length - 1),
          )
        )
          .map((step) => step.detail)
          .join("; ");
      for (const where of [`"clientId" = ?`, `"type" = ?`, `"clientId" = ? AND "type" = ?`, `"clientId" = ? AND "id" < ?`]) {
        const steps = await plan(where);
        expect(steps, where).toMatch(/USING (COVERING )?INDEX/);
        expect(steps, where).not.toMatch(/TEMP B-TREE/);
      }
    },
  );

  it("tell each app's last activity", async () => {
    const clientId = `activity-${Date.now()}`;
    await recordEvent({ type: "token.issued", clientId });
    const latest = await lastActivity([clientId, `${clientId}-never`]);
    expect([...latest.keys()]).toEqual([clientId]);
    expect(Date.now() - latest.get(clientId)!.getTime()).toBeLessThan(60_000);
  });
});

describe("the audit log's one writer", () => {
  it("is this module: no other writes audit rows (a bypass would skip the webhooks)", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const sources = readdirSync("lib", { recursive: true, encoding: "utf8" })
      .filter((file) => /\.tsx?$/.test(file) && !file.endsWith(".test.ts") && !file.startsWith("generated/") && file !== "events.ts")
      .concat(
        readdirSync("app", { recursive: true, encoding: "utf8" })
          .filter((file) => /\.tsx?$/.test(file))
          .map((file) => `../app/${file}`),
      );
    const writers = sources.filter((file) =>
      /auditEvent\.(create|createMany|upsert|update)\b|INSERT INTO "AuditEvent"/.test(readFileSync(`lib/${file}`, "utf8")),
    );
    expect(writers).toEqual([]);
  });
});
