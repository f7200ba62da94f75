/** The tokens issued for a person: an access token, an ID token when `openid` was granted, and a refresh token when the app and API allow one. */
import { queueEvent, type AuditEventInput } from "@/lib/events";
import { accessTokenAudience, apiOfIssued, issuesRefreshToken, type ResourceApi } from "@/lib/oauth/apis";
import type { Client, RefreshToken } from "@/lib/generated/prisma/client";
import { OAuthError } from "@/lib/oauth/errors";
import type { SigningAlg } from "@/lib/oauth/keys";
import type { TokenResponse } from "@/lib/oauth/grants/types";
import { claimsForScopes } from "@/lib/oauth/claims";
import { requestedApiIdentifier } from "@/lib/oauth/resource";
import { formatScope } from "@/lib/oauth/scopes";
import { consume, newRefreshToken, type Consumable, type NewRefreshToken, type TokenSubject } from "@/lib/oauth/store/tokens";
import { issueAccessToken, issueIdToken, loadSigningKeys } from "@/lib/oauth/tokens";

/**
 * The API a code or refresh token was issued for; invalid_grant once it is
 * deleted. A token request may repeat it as `resource` or `audience` (RFC
 * 8707 §2.2) but not name another: invalid_target.
 */
export async function issuedApi(audience: string | null, params: ReadonlyMap<string, string>): Promise<ResourceApi> {
  const api = await apiOfIssued(audience);
  if (!api) throw new OAuthError("invalid_grant", "The API this grant was for no longer exists");
  const named = requestedApiIdentifier(params.get("resource"), params.get("audience"));
  if (named !== undefined && named !== api.identifier) throw new OAuthError("invalid_target", "The grant is for another API");
  return api;
}

/**
 * A code, refresh-token or device-code exchange, as its grant found it valid:
 * what it uses up, and what the tokens it issues carry.
 */
export type Exchange = {
  client: Client;
  /** The code, refresh token or device code the exchange uses up. */
  uses: Consumable;
  user: TokenSubject;
  grantId: string;
  /** The access token's scopes (a refresh may narrow those of the grant). */
  scopes: readonly string[];
  api: ResourceApi;
  authTime: Date;
  nonce?: string;
  /** The session the person approved in (OpenID Connect `sid`), for the ID token. */
  sid?: string | null;
  /** How the person signed in (space-separated amr values), for the ID token. */
  amr?: string | null;
  /**
   * The refresh-token family: a new one (a code or device code, whose stored
   * scope and audience its refresh token keeps), or the token being rotated.
   */
  family: { id: string; authorizationCodeId?: string; scopes: string; audience: string | null } | { rotating: RefreshToken };
  /** RFC 9449: the thumbprint of a valid DPoP proof's key; the access token is bound to it. */
  dpopJkt: string | null;
  /** The audit event of the exchange; who, which app, grant and scopes come from the exchange itself. */
  event: Pick<AuditEventInput, "type" | "ip" | "details">;
};

export type Issued = { outcome: "issued"; tokens: TokenResponse } | { outcome: "lost" } | { outcome: "refused"; reason: string };

/**
 * The one issuing step of every exchange of a person's grant: the successor
 * refresh token, the signatures, the write that uses up the code or token,
 * and the event. The signing runs alongside that write, and the tokens are
 * handed out only if it commits: the transaction holds no lock while a
 * signature is computed (on SQLite, the one write lock), and a request waits
 * for the slower of the two, not for both in turn. The write checks that
 * nothing was used meanwhile and that the grant and the person still stand. The signing needs nothing but keys already in memory, so
 * only a bug can make it fail; then the code stays used (or the refresh token
 * retired) and the app starts again.
 */
export async function issueUserTokens(exchange: Exchange): Promise<Issued> {
  // Refused before anything is used up, so the app's next try is not taken for reuse; the write checks again, for a change meanwhile.
  if (exchange.user.disabledAt) throw new OAuthError("invalid_grant", "The account is no longer active");
  const successor = successorOf(exchange);
  const withIdToken = exchange.scopes.includes("openid");
  const idTokenAlg = (exchange.client.idTokenSignedResponseAlg as SigningAlg | null) ?? undefined;
  await loadSigningKeys(withIdToken ? { alg: idTokenAlg } : undefined);
  const [consumed, tokens] = await alongside(
    consume(exchange.uses, successor),
    signUserTokens(exchange, successor?.value, withIdToken ? idTokenAlg : null),
  );
  if (!consumed.won) return { outcome: "lost" };
  if (!consumed.grantValid) return { outcome: "refused", reason: "the grant was revoked or the account disabled" };
  // Written with the batched audit queue after the commit, like client-credentials events (lib/events.ts).
  queueEvent({
    ...exchange.event,
    clientId: exchange.client.id,
    userId: exchange.user.id,
    grantId: exchange.grantId,
    scopes: [...exchange.scopes],
  });
  return { outcome: "issued", tokens };
}

/** Both settled before either outcome counts, so a failed signing never leaves the transaction unawaited. */
export async function alongside<A, B>(transaction: Promise<A>, signing: Promise<B>): Promise<[A, B]> {
  const [written, signed] = await Promise.allSettled([transaction, signing]);
  if (written.status === "rejected") throw written.reason;
  if (signed.status === "rejected") throw signed.reason;
  return [written.value, signed.value];
}

function familyIdOf(family: Exchange["family"]): string {
  return "rotating" in family ? family.rotating.familyId : family.id;
}

function successorOf(exchange: Exchange): NewRefreshToken | undefined {
  const { client, family } = exchange;
  const idleSeconds = client.refreshTokenTtl ?? undefined;
  const common = {
    familyId: familyIdOf(family),
    grantId: exchange.grantId,
    clientId: client.id,
    userId: exchange.user.id,
    authTime: exchange.authTime,
    sid: exchange.sid ?? null,
    amr: exchange.amr ?? null,
  };
  if ("rotating" in family) {
    const { id, scopes, audience, authorizationCodeId, dpopJkt } = family.rotating;
    // RFC 6749 §6: the new refresh token has the scope of the one presented, and stays bound to its key.
    return newRefreshToken({ ...common, parentId: id, scopes, audience, authorizationCodeId, dpopJkt }, idleSeconds);
  }
  if (!issuesRefreshToken(client, exchange.api, exchange.scopes)) return undefined;
  return newRefreshToken(
    {
      ...common,
      parentId: null,
      scopes: family.scopes,
      audience: family.audience,
      authorizationCodeId: family.authorizationCodeId ?? null,
      // RFC 9449 §5: a public app's refresh token is bound to its DPoP key (a confidential app's, to its credentials).
      dpopJkt: client.isConfidential ? null : exchange.dpopJkt,
    },
    idleSeconds,
  );
}

/** `idTokenAlg`: null for no ID token, undefined for the portal's default algorithm. */
async function signUserTokens(
  input: Exchange,
  refreshToken: string | undefined,
  idTokenAlg: SigningAlg | null | undefined,
): Promise<TokenResponse> {
  const { user } = input;
  const authTime = Math.floor(input.authTime.getTime() / 1000);
  // With an ID token to follow, the access token (ES256 by default: tens of
  // microseconds) is signed on the event loop: on the thread pool it would
  // queue behind other requests' RSA signatures, and the ID token, which
  // hashes it, would then queue a second time.
  const accessToken = await issueAccessToken(
    {
      subject: user.id,
      clientId: input.client.id,
      scopes: input.scopes,
      audience: accessTokenAudience(input.api, input.scopes),
      lifetimeSeconds: input.client.accessTokenTtl ?? input.api.accessTokenTtl,
      authTime,
      grantId: input.grantId,
      familyId: familyIdOf(input.family),
      dpopJkt: input.dpopJkt,
    },
    { onEventLoop: idTokenAlg !== null },
  );
  const idToken =
    idTokenAlg !== null
      ? await issueIdToken({
          userId: user.id,
          clientId: input.client.id,
          alg: idTokenAlg,
          authTime,
          nonce: input.nonce,
          sid: input.sid ?? undefined,
          amr: input.amr ? input.amr.split(" ") : undefined,
          accessToken,
          claims: claimsForScopes(user, input.scopes),
        })
      : undefined;
  return {
    access_token: accessToken.token,
    token_type: input.dpopJkt ? "DPoP" : "Bearer",
    expires_in: accessToken.expiresIn,
    scope: formatScope(input.scopes),
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    ...(idToken ? { id_token: idToken } : {}),
  };
}
