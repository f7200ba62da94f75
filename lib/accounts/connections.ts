/** The apps a person has authorized (their active grants), and taking that back. */
import { prismaSession } from "@/lib/sql";
import { db } from "@/lib/db";
import { eventRecorder } from "@/lib/events";
import { findResourceApi, portalApiAudience, PORTAL_API_ID } from "@/lib/oauth/apis";
import { parseScope } from "@/lib/oauth/scopes";
import { signedOut } from "@/lib/oauth/logout";
import { rememberRevocations, revocationOfIssuedTokens, storeRevocations } from "@/lib/oauth/revocations";

/** The person's active grants, newest first: one per app and API, each scope with its sentence. */
export async function listConnections(userId: string) {
  const [grants, portal] = await Promise.all([
    db().grant.findMany({
      where: { userId, revokedAt: null },
      include: { client: { select: { id: true, name: true, logoUrl: true } }, api: { include: { scopes: true } } },
      orderBy: { updatedAt: "desc" },
    }),
    findResourceApi(portalApiAudience()),
  ]);
  return grants.map(({ api, ...grant }) => {
    const sentences = new Map([...(portal?.scopes ?? []), ...api.scopes.map((scope) => [scope.name, scope] as const)]);
    return {
      ...grant,
      api: { name: api.name, identifier: api.identifier ?? portalApiAudience(), isPortal: api.id === PORTAL_API_ID },
      scopeSentences: parseScope(grant.scopes).map((name) => ({ name, description: sentences.get(name)?.description ?? name })),
    };
  });
}

/**
 * "Revoke access": ends the person's consent to the app and every token the
 * app holds for them (refresh tokens at once; access tokens through the
 * revoked grant ids every server checks). The next request asks again.
 */
export async function revokeConnection(userId: string, clientId: string, context: { ip?: string; reason?: string } = {}): Promise<number> {
  const now = new Date();
  const recordEvent = await eventRecorder();
  const revocations = await db().$transaction(async (tx) => {
    const grants = await tx.grant.findMany({ where: { userId, clientId, revokedAt: null }, select: { id: true, scopes: true } });
    if (grants.length === 0) return [];
    const grantIds = grants.map((grant) => grant.id);
    const reason = context.reason ?? "revoked_by_user";
    await tx.grant.updateMany({ where: { id: { in: grantIds } }, data: { revokedAt: now, revokedReason: reason } });
    await tx.refreshToken.updateMany({ where: { grantId: { in: grantIds }, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
    const revocations = grantIds.map((id) => revocationOfIssuedTokens(`grant:${id}`, clientId));
    await storeRevocations(prismaSession(tx), revocations);
    for (const grant of grants) {
      await recordEvent({ type: "grant.revoked", clientId, userId, grantId: grant.id, scopes: grant.scopes.split(" ").filter(Boolean), ip: context.ip, details: { reason } }, prismaSession(tx));
    }
    return revocations;
  });
  await rememberRevocations(revocations);
  return revocations.length;
}

/** Every app loses its access to the person: told first (back-channel logout, which needs the grants to find them), then every grant revoked. */
export async function revokeAllConnections(userId: string, reason: string, context: { ip?: string } = {}): Promise<void> {
  await signedOut(userId, context);
  const grants = await db().grant.findMany({ where: { userId, revokedAt: null }, select: { clientId: true }, distinct: ["clientId"] });
  for (const { clientId } of grants) await revokeConnection(userId, clientId, { ...context, reason });
}

/**
 * Ends every token the apps hold for the person, keeping their consents:
 * refresh tokens at once, access tokens through the revoked grant ids every
 * server checks. After a password reset or change, or "sign out everywhere",
 * a stolen token stops working; the apps sign the person in again.
 */
export async function endAppTokensOf(userId: string, reason: string): Promise<number> {
  const now = new Date();
  const recordEvent = await eventRecorder();
  const revocations = await db().$transaction(async (tx) => {
    const grants = await tx.grant.findMany({ where: { userId, revokedAt: null }, select: { id: true, clientId: true } });
    if (grants.length === 0) return [];
    await tx.refreshToken.updateMany({ where: { grantId: { in: grants.map((grant) => grant.id) }, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
    const revocations = grants.map((grant) => revocationOfIssuedTokens(`grant:${grant.id}`, grant.clientId));
    await storeRevocations(prismaSession(tx), revocations);
    for (const grant of grants) await recordEvent({ type: "token.revoked", clientId: grant.clientId, userId, grantId: grant.id, details: { reason, everyToken: true } }, prismaSession(tx));
    return revocations;
  });
  await rememberRevocations(revocations);
  return revocations.length;
}
