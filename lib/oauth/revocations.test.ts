import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { databaseProvider, sqlTransaction } from "@/lib/sql";
import { isRevoked, isRevokedNow, revocationOfIssuedTokens, storeRevocation, storeRevocations, SYNC_INTERVAL_MS } from "./revocations";

/** A revocation written as another instance writes it: stored, but not told to this process's memory. */
async function revokeElsewhere(key: `jti:${string}`, options: { clockBehindBy?: number } = {}) {
  await sqlTransaction((tx) => storeRevocations(tx, [revocationOfIssuedTokens(key, null)]));
  // A host whose clock is behind stamps its rows in the past.
  if (options.clockBehindBy)
    await db().revokedToken.update({ where: { jti: key }, data: { revokedAt: new Date(Date.now() - options.clockBehindBy) } });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("revocations across instances", () => {
  it("are authoritative at once from the database, and in memory within the sync interval", async () => {
    await isRevoked([]); // this process has loaded its cache
    const key = `jti:${randomUUID()}` as const;
    await revokeElsewhere(key);
    expect(await isRevokedNow([key])).toBe(true);
    await wait(SYNC_INTERVAL_MS + 100);
    expect(await isRevoked([key])).toBe(true);
  });

  it("are followed by sequence, so a row stamped by a clock that is behind is not missed", async () => {
    await isRevoked([]);
    await wait(SYNC_INTERVAL_MS + 100);
    // A first sync reads up to the newest row...
    const first = `jti:${randomUUID()}` as const;
    await revokeElsewhere(first);
    expect(await isRevoked([first])).toBe(true);
    // ...then another instance, whose clock is an hour behind, revokes.
    const late = `jti:${randomUUID()}` as const;
    await revokeElsewhere(late, { clockBehindBy: 3600_000 });
    await wait(SYNC_INTERVAL_MS + 100);
    expect(await isRevoked([late])).toBe(true);
  });

  it("number each revoking transaction in commit order", async () => {
    const keys = Array.from({ length: 8 }, () => `jti:${randomUUID()}` as const);
    await Promise.all(keys.map((key) => revokeElsewhere(key)));
    const rows = await db().revokedToken.findMany({ where: { jti: { in: keys } }, orderBy: { seq: "asc" } });
    const seqs = rows.map((row) => row.seq);
    expect(new Set(seqs).size).toBe(keys.length);
    expect(seqs.every((seq) => seq > 0)).toBe(true);
  });
});

describe("storeRevocation", () => {
  it("stores one revocation with the next sequence number, once", async () => {
    const key = `jti:${randomUUID()}` as const;
    const before = (await db().counter.findUnique({ where: { name: "revocation" } }))!.value;
    const revocation = revocationOfIssuedTokens(key, "app");
    await storeRevocation(revocation);
    await storeRevocation(revocationOfIssuedTokens(key, null));
    const row = await db().revokedToken.findUnique({ where: { jti: key } });
    expect(row).toMatchObject({ clientId: "app", expiresAt: revocation.expiresAt });
    expect(row!.seq).toBeGreaterThan(before);
    expect(await isRevokedNow([key])).toBe(true);
  });

  it("stores revocations that arrive together, each once, numbered so that other instances see them all", async () => {
    const keys = Array.from({ length: 12 }, () => `jti:${randomUUID()}` as const);
    const before = (await db().counter.findUnique({ where: { name: "revocation" } }))!.value;
    // The same key twice in one burst: the first revocation stands.
    await Promise.all([
      ...keys.map((key) => storeRevocation(revocationOfIssuedTokens(key, "app"))),
      storeRevocation(revocationOfIssuedTokens(keys[0]!, null)),
    ]);
    const rows = await db().revokedToken.findMany({ where: { jti: { in: keys } } });
    expect(rows).toHaveLength(keys.length);
    expect(rows.every((row) => row.clientId === "app" && row.seq > before)).toBe(true);
    // On PostgreSQL the burst is one statement, under one sequence number.
    if (databaseProvider() === "postgresql") expect(new Set(rows.map((row) => row.seq)).size).toBe(1);
    expect(await isRevokedNow([keys.at(-1)!])).toBe(true);
  });
});
