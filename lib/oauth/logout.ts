/**
 * Signing out (OpenID Connect RP-Initiated Logout 1.0 and Back-Channel Logout
 * 1.0). An app sends the person to the end_session_endpoint; the portal ends
 * the session (asking first unless the request certainly comes from the app)
 * and sends them back to a registered post_logout_redirect_uri. Every app the
 * person authorized that registered a backchannel_logout_uri is told, from a
 * durable queue, with retries.
 */
import { queueEvent } from "@/lib/events";
import type { Client } from "@/lib/generated/prisma/client";
import type { SigningAlg } from "@/lib/oauth/keys";
import { outboundRequest } from "@/lib/outbound";
import { redirectWithParams } from "@/lib/oauth/redirect-uri";
import { findClientForAuthentication } from "@/lib/oauth/store/clients";
import { retryAt, workConcurrently } from "@/lib/queues";
import { claimDueDeliveries, enqueueLogoutDeliveries, markAttemptFailed, markDelivered } from "@/lib/oauth/store/logout-deliveries";
import { idTokenHintClaims, issueLogoutToken } from "@/lib/oauth/tokens";

export type EndSessionRequest = {
  /** The app the request names (by client_id or the hint), if any. */
  client: Pick<Client, "id" | "name"> | null;
  /** Where to send the person afterwards: a registered post_logout_redirect_uri, with state. */
  redirectTo: string | null;
  /** True when a valid id_token_hint names the person signed in (or nobody is): no need to ask. */
  certain: boolean;
};

export type EndSessionProblem = { problem: string };

/** The registered post-logout redirect URIs of an app. */
export function postLogoutRedirectUris(client: Pick<Client, "postLogoutRedirectUris">): string[] {
  return client.postLogoutRedirectUris.split(" ").filter(Boolean);
}

/** Validates an end-session request; a problem is shown to the person, never redirected. */
export async function readEndSessionRequest(
  params: URLSearchParams,
  viewerId: string | null,
): Promise<EndSessionRequest | EndSessionProblem> {
  const hintValue = params.get("id_token_hint") || undefined;
  const hint = hintValue ? await idTokenHintClaims(hintValue) : null;
  if (hintValue && !hint) return { problem: "The id_token_hint is not an ID token issued here." };
  const clientId = params.get("client_id") || hint?.clientId;
  if (hint && params.get("client_id") && params.get("client_id") !== hint.clientId)
    return { problem: "client_id does not match the id_token_hint." };
  const client = clientId ? await findClientForAuthentication(clientId) : null;
  if (clientId && !client) return { problem: "The app is not registered." };

  const requested = params.get("post_logout_redirect_uri") || undefined;
  let redirectTo: string | null = null;
  if (requested) {
    if (!client) return { problem: "post_logout_redirect_uri needs client_id or id_token_hint, to know which app's addresses to check." };
    if (!postLogoutRedirectUris(client).includes(requested))
      return { problem: `${requested} is not a post-logout redirect URI registered for ${client.name}.` };
    const state = params.get("state") || undefined;
    redirectTo = redirectWithParams(requested, { state });
  }
  return {
    client: client ? { id: client.id, name: client.name } : null,
    redirectTo,
    certain: hint !== null && (viewerId === null || hint.sub === viewerId),
  };
}

/** After the session ends: every app the person authorized with a back-channel endpoint is told. */
export async function signedOut(userId: string, context: { ip?: string; sid?: string } = {}): Promise<void> {
  queueEvent({ type: "user.signed_out", userId, ip: context.ip });
  if ((await enqueueLogoutDeliveries(userId, context.sid ?? null)) > 0) void deliverDueLogouts();
}

/** Seconds to wait before each retry; after the last, the delivery is given up. */
const RETRY_DELAYS = [5, 30, 120, 600, 3600, 6 * 3600];
const TIMEOUT_MS = 5000;

/** Back-channel logout deliveries in flight at once per instance. */
const DELIVERY_CONCURRENCY = 5;

/** Delivers what is due; each delivery is claimed first, so instances never send one twice at once. */
export async function deliverDueLogouts(): Promise<void> {
  await workConcurrently(claimDueDeliveries, deliverLogout, { concurrency: DELIVERY_CONCURRENCY, rounds: 4 });
}

async function deliverLogout(delivery: Awaited<ReturnType<typeof claimDueDeliveries>>[number]): Promise<void> {
  const client = await findClientForAuthentication(delivery.clientId);
  let error: string | null = null;
  try {
    const logoutToken = await issueLogoutToken({
      userId: delivery.userId,
      clientId: delivery.clientId,
      sid: delivery.sid,
      alg: (client?.idTokenSignedResponseAlg as SigningAlg | null) ?? undefined,
    });
    const response = await outboundRequest(delivery.uri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ logout_token: logoutToken }).toString(),
      timeoutMs: TIMEOUT_MS,
    });
    if (response.status !== 200 && response.status !== 204) error = `answered ${response.status}`;
  } catch (caught) {
    error = (caught as Error).message;
  }
  const event = {
    clientId: delivery.clientId,
    userId: delivery.userId,
    details: { attempt: delivery.attempts + 1, uri: delivery.uri, ...(error ? { error } : {}) },
  };
  if (!error) {
    await markDelivered(delivery.id);
    queueEvent({ type: "logout.backchannel_delivered", ...event });
    return;
  }
  const again = retryAt(RETRY_DELAYS, delivery.attempts);
  await markAttemptFailed(delivery.id, error, again);
  queueEvent({ type: "logout.backchannel_failed", ...event, details: { ...event.details, willRetry: again !== null } });
}
