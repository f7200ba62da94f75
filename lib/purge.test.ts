import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUser } from "@/lib/accounts/users";
import { db } from "@/lib/db";
import { registerClient } from "@/lib/oauth/clients";
import { getConfig } from "@/lib/config";
import { timeOrderedId } from "@/lib/crypto";
import { PURGE_CHUNK, purgeExpiredRows } from "./purge";

const hour = 3600 * 1000;

describe("purgeExpiredRows", () => {
  it("deletes what has expired and keeps what is still needed", async () => {
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const ahead = (ms: number) => new Date(now.getTime() + ms);
    const user = await createUser({ email: `purge-${randomUUID()}@example.com`, password: "long enough password" });
    const { client } = await registerClient({ name: "Purge", isConfidential: false, redirectUris: ["https://purge.example/cb"] });
    const grant = await db().grant.create({ data: { id: randomUUID(), userId: user.id, clientId: client.id, scopes: "openid" } });
    const tag = randomUUID();

    const code = (id: string, expiresAt: Date) => ({
      id,
      codeHash: `${tag}-${id}`,
      grantId: grant.id,
      clientId: client.id,
      userId: user.id,
      redirectUri: "https://purge.example/cb",
      scopes: "openid",
      authTime: now,
      expiresAt,
    });
    await db().authorizationCode.createMany({
      data: [code(`${tag}-old`, ago(25 * hour)), code(`${tag}-recent`, ago(hour)), code(`${tag}-live`, ahead(hour))],
    });
    const refresh = (id: string, expiresAt: Date) => ({
      id,
      tokenHash: `${tag}-${id}`,
      familyId: tag,
      grantId: grant.id,
      clientId: client.id,
      userId: user.id,
      scopes: "openid",
      expiresAt,
    });
    await db().refreshToken.createMany({ data: [refresh(`${tag}-expired`, ago(1)), refresh(`${tag}-live`, ahead(hour))] });
    await db().revokedToken.createMany({
      data: [
        { jti: `jti:${tag}-expired`, expiresAt: ago(1) },
        { jti: `jti:${tag}-live`, expiresAt: ahead(hour) },
      ],
    });
    const pending = (handleHash: string, expiresAt: Date) => ({
      handleHash,
      clientId: client.id,
      redirectUri: "https://purge.example/cb",
      redirectUriSent: true,
      scopes: "openid",
      audience: "x",
      expiresAt,
    });
    await db().pendingAuthorization.createMany({ data: [pending(`${tag}-expired`, ago(1)), pending(`${tag}-live`, ahead(hour))] });
    await db().loginThrottle.createMany({
      data: [
        { key: `${tag}-stale`, windowStart: ago(2 * hour), lastAttemptAt: ago(2 * hour) },
        { key: `${tag}-current`, windowStart: ago(10 * 60 * 1000), lastAttemptAt: ago(60 * 1000) },
      ],
    });

    const stale = await registerClient(
      { name: "Stale open app", isConfidential: false, redirectUris: ["https://stale.example/cb"] },
      { dynamic: { via: "open", registrationTokenHash: `${tag}-stale` } },
    );
    const active = await registerClient(
      { name: "Active open app", isConfidential: false, redirectUris: ["https://active.example/cb"] },
      { dynamic: { via: "open", registrationTokenHash: `${tag}-active` } },
    );
    const fresh = await registerClient(
      { name: "Fresh open app", isConfidential: false, redirectUris: ["https://fresh.example/cb"] },
      { dynamic: { via: "open", registrationTokenHash: `${tag}-fresh` } },
    );
    await db().client.updateMany({ where: { id: { in: [stale.client.id, active.client.id] } }, data: { createdAt: ago(31 * 24 * hour) } });
    await db().auditEvent.create({
      data: { id: `${tag}-used`, type: "token.issued", clientId: active.client.id, createdAt: ago(24 * hour) },
    });
    await db().pushedAuthorizationRequest.createMany({
      data: [
        { handleHash: `${tag}-expired`, clientId: "x", params: "", expiresAt: ago(1) },
        { handleHash: `${tag}-live`, clientId: "x", params: "", expiresAt: ahead(hour) },
      ],
    });
    await db().usedClientAssertion.createMany({
      data: [
        { id: `${tag}-expired`, expiresAt: ago(1) },
        { id: `${tag}-live`, expiresAt: ahead(hour) },
      ],
    });
    await db().emailToken.createMany({
      data: [`${tag}-old`, `${tag}-recent`].map((tokenHash, index) => ({
        tokenHash,
        purpose: "password_reset",
        email: `${tag}@example.com`,
        expiresAt: ago(index === 0 ? 25 * hour : hour),
      })),
    });
    await db().mailMessage.createMany({
      data: [
        {
          id: `${tag}-given-up`,
          to: `${tag}@example.com`,
          subject: "",
          bodySealed: "",
          nextAttemptAt: ago(30 * hour),
          failedAt: ago(25 * hour),
        },
        {
          id: `${tag}-retrying`,
          to: `${tag}@example.com`,
          subject: "",
          bodySealed: "",
          nextAttemptAt: ahead(hour),
          createdAt: ago(30 * hour),
        },
      ],
    });

    // Disabled, so that the other tests' events are not delivered to it (its secret is no sealed value).
    const hook = await db().webhook.create({
      data: { id: `${tag}-hook`, url: "https://example.com/hook", secretSealed: "x", events: "*", disabledAt: new Date() },
    });
    await db().webhookDelivery.createMany({
      data: [
        {
          id: `${tag}-old-delivery`,
          webhookId: hook.id,
          eventType: "token.issued",
          payload: "{}",
          nextAttemptAt: ago(40 * 24 * hour),
          deliveredAt: ago(31 * 24 * hour),
        },
        {
          id: `${tag}-recent-delivery`,
          webhookId: hook.id,
          eventType: "token.issued",
          payload: "{}",
          nextAttemptAt: ago(hour),
          deliveredAt: ago(hour),
        },
      ],
    });

    await purgeExpiredRows(now);

    const ids = async <T extends { id?: string; jti?: string; handleHash?: string; key?: string }>(rows: Promise<T[]>) =>
      (await rows).map((row) => row.id ?? row.jti ?? row.handleHash ?? row.key).sort();
    expect(await ids(db().authorizationCode.findMany({ where: { grantId: grant.id } }))).toEqual([`${tag}-live`, `${tag}-recent`]);
    expect(await ids(db().refreshToken.findMany({ where: { familyId: tag } }))).toEqual([`${tag}-live`]);
    expect(await ids(db().revokedToken.findMany({ where: { jti: { startsWith: `jti:${tag}` } } }))).toEqual([`jti:${tag}-live`]);
    expect(await ids(db().pendingAuthorization.findMany({ where: { clientId: client.id } }))).toEqual([`${tag}-live`]);
    expect(await ids(db().loginThrottle.findMany({ where: { key: { startsWith: tag } } }))).toEqual([`${tag}-current`]);
    const remaining = (
      await db().client.findMany({ where: { id: { in: [stale.client.id, active.client.id, fresh.client.id] } }, select: { id: true } })
    )
      .map((row) => row.id)
      .sort();
    expect(remaining).toEqual([active.client.id, fresh.client.id].sort());
    expect(
      (await db().pushedAuthorizationRequest.findMany({ where: { handleHash: { startsWith: tag } } })).map((row) => row.handleHash),
    ).toEqual([`${tag}-live`]);
    expect(await ids(db().usedClientAssertion.findMany({ where: { id: { startsWith: tag } } }))).toEqual([`${tag}-live`]);
    expect((await db().emailToken.findMany({ where: { tokenHash: { startsWith: tag } } })).map((row) => row.tokenHash)).toEqual([
      `${tag}-recent`,
    ]);
    expect(await ids(db().mailMessage.findMany({ where: { id: { startsWith: tag } } }))).toEqual([`${tag}-retrying`]);
    expect(await ids(db().webhookDelivery.findMany({ where: { webhookId: hook.id } }))).toEqual([`${tag}-recent-delivery`]);
  });

  it("deletes expired refresh tokens a chunk at a time until none is left, and only those", async () => {
    const user = await createUser({ email: `purge-chunks-${randomUUID()}@example.com`, password: "long enough password" });
    const { client } = await registerClient({ name: "Purge chunks", isConfidential: false, redirectUris: ["https://purge.example/cb"] });
    const grant = await db().grant.create({ data: { id: randomUUID(), userId: user.id, clientId: client.id, scopes: "openid" } });
    const familyId = randomUUID();
    const token = (index: number, expiresAt: Date) => ({
      id: `${familyId}-${index}`,
      tokenHash: `${familyId}-${index}`,
      familyId,
      grantId: grant.id,
      clientId: client.id,
      userId: user.id,
      scopes: "openid",
      expiresAt,
    });
    const expired = 2 * PURGE_CHUNK + 7;
    await db().refreshToken.createMany({
      data: [
        ...Array.from({ length: expired }, (_, index) => token(index, new Date(Date.now() - 1000))),
        token(expired, new Date(Date.now() + hour)),
      ],
    });

    const counts = await purgeExpiredRows();
    expect(counts.refreshTokens).toBeGreaterThanOrEqual(expired);
    expect((await db().refreshToken.findMany({ where: { familyId }, select: { id: true } })).map((row) => row.id)).toEqual([
      `${familyId}-${expired}`,
    ]);
  });

  it("finds the expired rows of the tables that grow with traffic by an index on their expiry", async () => {
    const tables = ["AuthorizationCode", "RefreshToken", "RevokedToken", "UsedDpopProof", "UsedClientAssertion"];
    for (const table of tables) {
      const firstColumns =
        getConfig().database.provider === "postgresql"
          ? (
              await db().$queryRawUnsafe<{ column: string }[]>(
                `SELECT a.attname::text AS "column" FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0] WHERE t.relname = $1`,
                table,
              )
            ).map((row) => row.column)
          : await Promise.all(
              (await db().$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM pragma_index_list(?)`, table)).map(
                async (index) =>
                  (
                    await db().$queryRawUnsafe<{ name: string; seqno: number }[]>(
                      `SELECT name, seqno FROM pragma_index_info(?)`,
                      index.name,
                    )
                  ).find((column) => Number(column.seqno) === 0)?.name,
              ),
            );
      expect(firstColumns, table).toContain("expiresAt");
    }
  });

  it("deletes audit events past AUDIT_LOG_RETENTION_DAYS, oldest first, and keeps the rest", async () => {
    const now = Date.now();
    const days = getConfig().auditLogRetentionDays;
    expect(days).toBe(365);
    const clientId = `retention-${randomUUID()}`;
    const event = (ageDays: number) => ({
      id: timeOrderedId(now - ageDays * 86_400_000),
      type: "token.issued",
      clientId,
      details: String(ageDays),
      createdAt: new Date(now - ageDays * 86_400_000),
    });
    await db().auditEvent.createMany({ data: [event(days + 30), event(days + 0.01), event(days - 0.01), event(1)] });

    const counts = await purgeExpiredRows(new Date(now));
    expect(counts.auditEvents).toBeGreaterThanOrEqual(2);
    expect((await db().auditEvent.findMany({ where: { clientId }, orderBy: { id: "asc" } })).map((row) => row.details)).toEqual([
      String(days - 0.01),
      "1",
    ]);
  });
});
