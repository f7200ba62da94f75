/** The apps a person has authorized (their active grants), and taking that back. */
import { findResourceApi, portalApiAudience, PORTAL_API_ID } from "@/lib/oauth/apis";
import { parseScope } from "@/lib/oauth/scopes";
import { signedOut } from "@/lib/oauth/logout";
import { rememberRevocations } from "@/lib/oauth/revocations";
import { appsWithActiveGrants, endTokensOfGrants, listActiveGrants, revokeGrantsToApp } from "@/lib/oauth/store/grants";

/** The person's active grants, newest first: one per app and API, each scope with its sentence. */
export async function listConnections(userId: string) {
  const [grants, portal] = await Promise.all([listActiveGrants(userId), findResourceApi(portalApiAudience())]);
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
  const revocations = await revokeGrantsToApp(userId, clientId, context.reason ?? "revoked_by_user", context.ip);
  await rememberRevocations(revocations);
  return revocations.length;
}

/** Every app loses its access to the person: told first (back-channel logout, which needs the grants to find them), then every grant revoked. */
export async function revokeAllConnections(userId: string, reason: string, context: { ip?: string } = {}): Promise<void> {
  await signedOut(userId, context);
  for (const clientId of await appsWithActiveGrants(userId)) await revokeConnection(userId, clientId, { ...context, reason });
}

/**
 * Ends every token the apps hold for the person, keeping their consents:
 * refresh tokens at once, access tokens through the revoked grant ids every
 * server checks. After a password reset or change, or "sign out everywhere",
 * a stolen token stops working; the apps sign the person in again.
 */
export async function endAppTokensOf(userId: string, reason: string): Promise<number> {
  const revocations = await endTokensOfGrants(userId, reason);
  await rememberRevocations(revocations);
  return revocations.length;
}
