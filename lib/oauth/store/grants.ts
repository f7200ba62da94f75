/**
 * People's grants to apps, as their account pages read them, and taking them
 * back: each change is written with its revocations (the ids every server
 * checks access tokens against) and its audit events, in one transaction.
 */
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { eventRecorder } from "@/lib/events";
import { prismaSession } from "@/lib/sql";
import { revocationOfIssuedTokens, storeRevocations, type Revocation } from "@/lib/oauth/revocations";
import { parseScope } from "@/lib/oauth/scopes";

/** The person's active grants, newest first, with the app and the API (and its scopes) each is for. */
export function listActiveGrants(userId: string) {
  return db().grant.findMany({
    where: { userId, revokedAt: null },
    include: { client: { select: { id: true, name: true, logoUrl: true } }, api: { include: { scopes: true } } },
    orderBy: { updatedAt: "desc" },
  });
}

/** The apps the person has an active grant to. */
export async function appsWithActiveGrants(userId: string): Promise<string[]> {
  const grants = await db().grant.findMany({ where: { userId, revokedAt: null }, select: { clientId: true }, distinct: ["clientId"] });
  return grants.map((grant) => grant.clientId);
}

/**
 * Inside a transaction: ends the refresh tokens issued under these grants and
 * stores the revocation of their access tokens (by grant id, which every
 * server checks); returns the revocations written.
 */
async function endTokensUnder(
  tx: Prisma.TransactionClient,
  grants: readonly { id: string; clientId: string }[],
  reason: string,
  now: Date,
): Promise<Revocation[]> {
  await tx.refreshToken.updateMany({
    where: { grantId: { in: grants.map((grant) => grant.id) }, revokedAt: null },
    data: { revokedAt: now, revokedReason: reason },
  });
  const revocations = grants.map((grant) => revocationOfIssuedTokens(`grant:${grant.id}`, grant.clientId));
  await storeRevocations(prismaSession(tx), revocations);
  return revocations;
}

/** Revokes the person's grants to one app and their refresh tokens; returns the revocations written. */
export async function revokeGrantsToApp(userId: string, clientId: string, reason: string, ip?: string): Promise<Revocation[]> {
  const now = new Date();
  const recordEvent = await eventRecorder();
  return db().$transaction(async (tx) => {
    const grants = await tx.grant.findMany({
      where: { userId, clientId, revokedAt: null },
      select: { id: true, clientId: true, scopes: true },
    });
    if (grants.length === 0) return [];
    await tx.grant.updateMany({ where: { id: { in: grants.map((grant) => grant.id) } }, data: { revokedAt: now, revokedReason: reason } });
    const revocations = await endTokensUnder(tx, grants, reason, now);
    for (const grant of grants) {
      await recordEvent(
        { type: "grant.revoked", clientId, userId, grantId: grant.id, scopes: parseScope(grant.scopes), ip, details: { reason } },
        prismaSession(tx),
      );
    }
    return revocations;
  });
}

/** Ends every token issued under the person's active grants, keeping the grants; returns the revocations written. */
export async function endTokensOfGrants(userId: string, reason: string): Promise<Revocation[]> {
  const now = new Date();
  const recordEvent = await eventRecorder();
  return db().$transaction(async (tx) => {
    const grants = await tx.grant.findMany({ where: { userId, revokedAt: null }, select: { id: true, clientId: true } });
    if (grants.length === 0) return [];
    const revocations = await endTokensUnder(tx, grants, reason, now);
    for (const grant of grants) {
      await recordEvent(
        { type: "token.revoked", clientId: grant.clientId, userId, grantId: grant.id, details: { reason, everyToken: true } },
        prismaSession(tx),
      );
    }
    return revocations;
  });
}
