/**
 * Which access tokens are revoked, answered from memory. Access tokens are
 * JWTs checked by signature; what is revoked is kept in RevokedToken until the
 * tokens it covers expire: a token id, a refresh-token family (every access
 * token issued from it), or a grant. This process adds its own revocations at
 * once and picks up other instances' with one indexed query at most every
 * SYNC_INTERVAL_MS, so checking costs no database round trip per request.
 */
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

const SYNC_INTERVAL_MS = 1000;

export type RevocationKey = `jti:${string}` | `family:${string}` | `grant:${string}`;
export type Revocation = { key: RevocationKey; clientId: string | null; expiresAt: Date };

type Cache = { revoked: Map<string, number>; syncedAt: number; seenUpTo: Date };
const holder = globalThis as unknown as { portalRevocations?: Promise<Cache> };

async function initialLoad(): Promise<Cache> {
  const now = new Date();
  const rows = await db().revokedToken.findMany({ where: { expiresAt: { gt: now } }, select: { jti: true, expiresAt: true, revokedAt: true } });
  const cache: Cache = { revoked: new Map(), syncedAt: Date.now(), seenUpTo: new Date(0) };
  absorb(cache, rows);
  return cache;
}

function absorb(cache: Cache, rows: { jti: string; expiresAt: Date; revokedAt: Date }[]) {
  for (const row of rows) {
    cache.revoked.set(row.jti, row.expiresAt.getTime());
    if (row.revokedAt > cache.seenUpTo) cache.seenUpTo = row.revokedAt;
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
    // `gte`: rows written in the same millisecond as the newest one seen are read again, harmlessly.
    const rows = await db().revokedToken.findMany({ where: { revokedAt: { gte: current.seenUpTo } }, select: { jti: true, expiresAt: true, revokedAt: true } });
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

/** Whether any of the keys a token carries has been revoked. */
export async function isRevoked(keys: readonly RevocationKey[]): Promise<boolean> {
  const { revoked } = await cache();
  return keys.some((key) => revoked.has(key));
}

/** Stores revocations inside the caller's transaction; call `rememberRevocations` after it commits. */
export async function storeRevocations(tx: Prisma.TransactionClient, revocations: readonly Revocation[]): Promise<void> {
  for (const { key, clientId, expiresAt } of revocations) {
    // The same family or grant can be revoked by two requests at once: the first row stands.
    await tx.$executeRaw`INSERT INTO "RevokedToken" ("jti", "clientId", "expiresAt", "revokedAt") VALUES (${key}, ${clientId}, ${expiresAt}, ${new Date()}) ON CONFLICT ("jti") DO NOTHING`;
  }
}

export async function rememberRevocations(revocations: readonly Revocation[]): Promise<void> {
  const { revoked } = await cache();
  for (const { key, expiresAt } of revocations) revoked.set(key, expiresAt.getTime());
}

/** Old revocations cover only expired tokens; dropping them keeps the table small. */
export async function purgeExpiredRevocations(): Promise<number> {
  return (await db().revokedToken.deleteMany({ where: { expiresAt: { lt: new Date() } } })).count;
}
