/**
 * Which access tokens are revoked. Access tokens are JWTs checked by
 * signature; what is revoked is kept in RevokedToken until the tokens it
 * covers expire: a token id, a refresh-token family (every access token issued
 * from it), or a grant.
 *
 * Two ways to ask:
 * - `isRevoked`, from memory, for the paths that serve machines at volume
 *   (/api/v1, userinfo): this process adds its own revocations at once and
 *   picks up other instances' with one indexed query at most every
 *   SYNC_INTERVAL_MS, so another instance's revocation is seen within that.
 * - `isRevokedNow`, one indexed query, for introspection, which must be
 *   authoritative (a resource server asks it precisely to know now).
 *
 * Other instances' revocations are followed by sequence number, not by time:
 * each revoking transaction takes the next value of Counter "revocation"
 * (locking that row until it commits), so revocations commit in the order of
 * their numbers, and having read up to N means nothing below N can still
 * appear. A timestamp watermark would miss a transaction that commits after a
 * later-stamped one, or a host whose clock is behind.
 */
import { batched } from "@/lib/batched";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db";
import { databaseProvider, sql, sqlSession, sqlTransaction, type SqlSession } from "@/lib/sql";

/** How stale another instance's revocations may be in this one's memory (README: Several instances). */
export const SYNC_INTERVAL_MS = 1000;

export type RevocationKey = `jti:${string}` | `family:${string}` | `grant:${string}`;
export type Revocation = { key: RevocationKey; clientId: string | null; expiresAt: Date };

type Cache = { revoked: Map<string, number>; syncedAt: number; seenUpTo: number };
const holder = globalThis as unknown as { portalRevocations?: Promise<Cache> };
const REVOCATION_COUNTER = "revocation";

async function initialLoad(): Promise<Cache> {
  const rows = await db().revokedToken.findMany({
    where: { expiresAt: { gt: new Date() } },
    select: { jti: true, expiresAt: true, seq: true },
  });
  const cache: Cache = { revoked: new Map(), syncedAt: Date.now(), seenUpTo: 0 };
  absorb(cache, rows);
  return cache;
}

function absorb(cache: Cache, rows: { jti: string; expiresAt: Date; seq: number }[]) {
  for (const row of rows) {
    cache.revoked.set(row.jti, row.expiresAt.getTime());
    if (row.seq > cache.seenUpTo) cache.seenUpTo = row.seq;
  }
}

async function cache(): Promise<Cache> {
  holder.portalRevocations ??= initialLoad().catch((error: unknown) => {
    holder.portalRevocations = undefined;
    throw error;
  });
  const current = await holder.portalRevocations;
  if (Date.now() - current.syncedAt >= SYNC_INTERVAL_MS) {
    current.syncedAt = Date.now();
    const rows = await db().revokedToken.findMany({
      where: { seq: { gt: current.seenUpTo } },
      select: { jti: true, expiresAt: true, seq: true },
    });
    absorb(current, rows);
    const now = Date.now();
    for (const [key, expiresAt] of current.revoked) if (expiresAt <= now) current.revoked.delete(key);
  }
  return current;
}

/**
 * A revocation of access tokens issued up to now: it must last as long as the
 * longest of them can, one access-token lifetime from now.
 */
export function revocationOfIssuedTokens(key: RevocationKey, clientId: string | null): Revocation {
  return { key, clientId, expiresAt: new Date(Date.now() + getConfig().ttl.accessToken * 1000) };
}

/** Whether any of the keys a token carries has been revoked, as this instance knows (at most SYNC_INTERVAL_MS behind). */
export async function isRevoked(keys: readonly RevocationKey[]): Promise<boolean> {
  const { revoked } = await cache();
  return keys.some((key) => revoked.has(key));
}

/** Whether any of the keys has been revoked at any instance, asked of the database. */
export async function isRevokedNow(keys: readonly RevocationKey[]): Promise<boolean> {
  if (await isRevoked(keys)) return true;
  if (databaseProvider() === "postgresql") return anyRevokedTogether(keys);
  // A token carries at most three keys (its id, family and grant); one statement text for any of them.
  const [first, second = first, third = first] = keys;
  if (first === undefined || second === undefined || third === undefined) return false;
  const found = await (await sqlSession()).rows(
    sql`SELECT 1 AS "found" FROM "RevokedToken" WHERE "jti" IN (${first}, ${second}, ${third}) LIMIT 1`,
  );
  return found.length > 0;
}

/** PostgreSQL: the introspections of a moment ask in one statement (lib/batched.ts). */
const anyRevokedTogether = batched(async (keyLists: (readonly RevocationKey[])[]): Promise<boolean[]> => {
  const rows = await (await sqlSession()).rows<{ jti: string }>(
    sql`SELECT "jti" FROM "RevokedToken" WHERE "jti" = ANY (ARRAY(SELECT json_array_elements_text(${JSON.stringify(keyLists.flat())}::json)))`,
  );
  const revoked = new Set(rows.map((row) => row.jti));
  return keyLists.map((keys) => keys.some((key) => revoked.has(key)));
});

/**
 * Stores revocations inside the caller's transaction (a Prisma transaction
 * passes `prismaSession(tx)`); call `rememberRevocations` after it commits.
 */
export async function storeRevocations(session: SqlSession, revocations: readonly Revocation[]): Promise<void> {
  if (revocations.length === 0) return;
  // Taken in this transaction and held until it commits: see the module comment.
  const [counter] = await session.rows<{ value: number }>(
    sql`UPDATE "Counter" SET "value" = "value" + 1 WHERE "name" = ${REVOCATION_COUNTER} RETURNING "value"`,
  );
  const seq = Number(counter!.value);
  for (const { key, clientId, expiresAt } of revocations) {
    // The same family or grant can be revoked by two requests at once: the first row stands.
    await session.run(
      sql`INSERT INTO "RevokedToken" ("jti", "clientId", "expiresAt", "revokedAt", "seq") VALUES (${key}, ${clientId}, ${expiresAt}, ${new Date()}, ${seq}) ON CONFLICT ("jti") DO NOTHING`,
    );
  }
}

/**
 * Stores one revocation in a transaction of its own. On SQLite that joins the
 * grouped commit (lib/sqlite-adapter.ts). On PostgreSQL, where each revoking
 * transaction also queues for the counter's row lock, the revocations of a
 * moment are stored by one statement (lib/batched.ts): a writable CTE, which
 * holds the counter's lock until it commits like the transaction would, and
 * one sequence number for all of them, which commit together.
 */
export function storeRevocation(revocation: Revocation): Promise<void> {
  if (databaseProvider() !== "postgresql") return sqlTransaction((tx) => storeRevocations(tx, [revocation]));
  return storeRevocationTogether(revocation);
}

const storeRevocationTogether = batched(async (revocations: Revocation[]): Promise<undefined[]> => {
  // One row per key: the first stands, as it would across statements.
  const rows = new Map<string, { key: string; clientId: string | null; expiresAt: string }>();
  for (const { key, clientId, expiresAt } of revocations)
    if (!rows.has(key)) rows.set(key, { key, clientId, expiresAt: expiresAt.toISOString() });
  await (
    await sqlSession()
  ).run(sql`WITH counter AS (UPDATE "Counter" SET "value" = "value" + 1 WHERE "name" = ${REVOCATION_COUNTER} RETURNING "value")
    INSERT INTO "RevokedToken" ("jti", "clientId", "expiresAt", "revokedAt", "seq")
    SELECT d."key", d."clientId", d."expiresAt", ${new Date()}::timestamp(3), counter."value"
    FROM json_to_recordset(${JSON.stringify([...rows.values()])}::json) AS d("key" text, "clientId" text, "expiresAt" timestamp(3)), counter
    ON CONFLICT ("jti") DO NOTHING`);
  return revocations.map(() => undefined);
});

export async function rememberRevocations(revocations: readonly Revocation[]): Promise<void> {
  const { revoked } = await cache();
  for (const { key, expiresAt } of revocations) revoked.set(key, expiresAt.getTime());
}
