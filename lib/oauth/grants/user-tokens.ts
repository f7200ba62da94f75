/** The tokens issued for a person: an access token, and an ID token when `openid` was granted. */
import { accessTokenAudience, apiOfIssued, type ResourceApi } from "@/lib/oauth/apis";
import type { Client } from "@/lib/generated/prisma/client";
import { OAuthError } from "@/lib/oauth/errors";
import type { SigningAlg } from "@/lib/oauth/keys";
import type { TokenResponse } from "@/lib/oauth/grants/types";
import { formatScope } from "@/lib/oauth/scopes";
import type { TokenSubject } from "@/lib/oauth/store/tokens";
import { issueAccessToken, issueIdToken, loadSigningKeys } from "@/lib/oauth/tokens";

/** OpenID Connect Core §5.4: the claims each scope releases. */
export function claimsForScopes(user: { email: string; name: string | null; emailVerifiedAt: Date | null }, scopes: readonly string[]): Record<string, unknown> {
  return {
    ...(scopes.includes("email") ? { email: user.email, email_verified: user.emailVerifiedAt !== null } : {}),
    ...(scopes.includes("profile") && user.name ? { name: user.name } : {}),
  };
}

/**
 * The API a code or refresh token was issued for; invalid_grant once it is
 * deleted. A token request may repeat it as `resource` or `audience` (RFC
 * 8707 §2.2) but not name another: invalid_target.
 */
export async function issuedApi(audience: string | null, params: ReadonlyMap<string, string>): Promise<ResourceApi> {
  const api = await apiOfIssued(audience);
  if (!api) throw new OAuthError("invalid_grant", "The API this grant was for no longer exists");
  for (const named of [params.get("resource"), params.get("audience")]) {
    if (named !== undefined && named !== api.identifier) throw new OAuthError("invalid_target", "The grant is for another API");
  }
  return api;
}

type UserTokensInput = {
  user: TokenSubject;
  client: Pick<Client, "id" | "accessTokenTtl" | "idTokenSignedResponseAlg">;
  scopes: readonly string[];
  api: ResourceApi;
  authTime: number;
  grantId: string;
  familyId: string;
  nonce?: string;
  refreshToken?: string;
  dpopJkt?: string | null;
  /** The session the person approved in (OpenID Connect `sid`), for the ID token. */
  sid?: string | null;
  /** How the person signed in (space-separated amr values), for the ID token. */
  amr?: string | null;
};

/** Signs a person's tokens; refuses (invalid_grant) when the account is disabled. */
export async function issueUserTokens(input: UserTokensInput): Promise<TokenResponse> {
  return (await prepareUserTokens(input))();
}

/**
 * A person's tokens in two steps: this refuses what must be refused (a
 * disabled account: invalid_grant) and loads the signing keys; the function
 * it returns only signs. A code exchange or refresh runs that signing
 * alongside the transaction that uses up the code or token
 * (lib/oauth/store/tokens.ts), so a refusal must come before.
 */
export async function prepareUserTokens(input: UserTokensInput): Promise<() => Promise<TokenResponse>> {
  if (input.user.disabledAt) throw new OAuthError("invalid_grant", "The account is no longer active");
  const withIdToken = input.scopes.includes("openid");
  const idTokenAlg = (input.client.idTokenSignedResponseAlg as SigningAlg | null) ?? undefined;
  await loadSigningKeys(withIdToken ? { alg: idTokenAlg } : undefined);
  return () => signUserTokens(input, withIdToken ? idTokenAlg : null);
}

/** `idTokenAlg`: null for no ID token, undefined for the portal's default algorithm. */
async function signUserTokens(input: UserTokensInput, idTokenAlg: SigningAlg | null | undefined): Promise<TokenResponse> {
  const { user } = input;
  // With an ID token to follow, the access token (ES256 by default: tens of
  // microseconds) is signed on the event loop: on the thread pool it would
  // queue behind other requests' RSA signatures, and the ID token, which
  // hashes it, would then queue a second time.
  const accessToken = await issueAccessToken({
    subject: user.id,
    clientId: input.client.id,
    scopes: input.scopes,
    audience: accessTokenAudience(input.api, input.scopes),
    lifetimeSeconds: input.client.accessTokenTtl ?? input.api.accessTokenTtl,
    authTime: input.authTime,
    grantId: input.grantId,
    familyId: input.familyId,
    dpopJkt: input.dpopJkt,
  }, { onEventLoop: idTokenAlg !== null });
  const idToken = idTokenAlg !== null
    ? await issueIdToken({
        userId: user.id,
        clientId: input.client.id,
        alg: idTokenAlg,
        authTime: input.authTime,
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
    ...(input.refreshToken ? { refresh_token: input.refreshToken } : {}),
    ...(idToken ? { id_token: idToken } : {}),
  };
}
