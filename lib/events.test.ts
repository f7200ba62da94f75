import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { flushEvents, queueEvent } from "./events";

describe("queued audit events", () => {
  it("are written in one batch with every field and their own time", async () => {
    const clientId = `queued-${Date.now()}`;
    const before = new Date();
    for (let index = 0; index < 3; index += 1) {
      queueEvent({ type: "token.issued", clientId, scopes: ["a", "b"], ip: "192.0.2.1", details: { grantType: "client_credentials", index } });
    }
    await flushEvents();
    const events = await db().auditEvent.findMany({ where: { clientId }, orderBy: { createdAt: "asc" } });
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ type: "token.issued", scopes: "a b", ip: "192.0.2.1", userId: null, grantId: null });
    expect(JSON.parse(events[2]!.details!)).toEqual({ grantType: "client_credentials", index: 2 });
    expect(events[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
  });
});
