/** grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.5). */
import type { AuthorizationCode } from "@/lib/generated/prisma/client";
import { OAuthError } from "@/lib/oauth/errors";
import { allowsGrant, failedRedemptionReason, type GrantHandler } from "@/lib/oauth/grants/types";
import { issuedApi, prepareUserTokens } from "@/lib/oauth/grants/user-tokens";
import { issuesRefreshToken, type ResourceApi } from "@/lib/oauth/apis";
import { verifierMatchesChallenge, type CodeChallengeMethod } from "@/lib/oauth/pkce";
import { parseScope } from "@/lib/oauth/scopes";
import { redeemAuthorizationCode } from "@/lib/oauth/store/tokens";
import { formatTime } from "@/lib/format";

/**
 * Why the code's own client may not redeem it with this request, or null when
 * it may. The client binding is checked before this, by the store, without
 * touching the code.
 */
export function codeBindingProblem(code: AuthorizationCode, request: { redirectUri?: string; codeVerifier?: string }): string | null {
  if (code.expiresAt <= new Date()) return `the code expired at ${formatTime(code.expiresAt, { seconds: true })}`;
  // §4.1.3: redirect_uri must repeat the authorization request's, when that request sent one.
  if ((code.redirectUriSent || request.redirectUri !== undefined) && request.redirectUri !== code.redirectUri) {
    return `redirect_uri differs from the authorization request: sent ${request.redirectUri ?? "none"}, expected ${code.redirectUri}`;
  }
  if (code.codeChallenge) {
    if (!request.codeVerifier) return "code_verifier is missing: the authorization request sent a PKCE code_challenge";
    if (!verifierMatchesChallenge(request.codeVerifier, code.codeChallenge, code.codeChallengeMethod as CodeChallengeMethod)) return "the PKCE code_verifier does not match the code_challenge";
  } else if (request.codeVerifier) {
    // RFC 9700 §4.8: a verifier for a code issued without a challenge is a downgrade attempt.
    return "a code_verifier was sent, but the code was issued without a code_challenge";
  }
  return null;
}

export const authorizationCodeGrant: GrantHandler = async ({ client, params, ip, dpopJkt }) => {
  if (!allowsGrant(client, "authorization_code")) throw new OAuthError("unauthorized_client", "This client is not allowed the authorization code grant");
  const codeValue = params.get("code");
  if (!codeValue) throw new OAuthError("invalid_request", "code is required");

  // The code's API, looked up once for the refresh-token rule and the tokens.
  let api: Promise<ResourceApi> | undefined;
  const apiOf = (code: AuthorizationCode) => (api ??= issuedApi(code.audience, params));

  const redemption = await redeemAuthorizationCode({
    code: codeValue,
    clientId: client.id,
    check: (code) => codeBindingProblem(code, { redirectUri: params.get("redirect_uri"), codeVerifier: params.get("code_verifier") }),
    refreshTokenTtl: client.refreshTokenTtl ?? undefined,
    // RFC 9449 §5: a public app's refresh token is bound to its DPoP key (a confidential app's, to its credentials).
    dpopJkt: client.isConfidential ? null : dpopJkt,
    issueRefreshToken: async (code) => issuesRefreshToken(client, await apiOf(code), parseScope(code.scopes)),
    event: (code) => ({
      type: "token.issued",
      clientId: client.id,
      userId: code.userId,
      grantId: code.grantId,
      scopes: parseScope(code.scopes),
      ip,
      details: { grantType: "authorization_code" },
    }),
    mint: async (code, refreshToken) =>
      prepareUserTokens({
        user: code.grant.user,
        client,
        scopes: parseScope(code.scopes),
        api: await apiOf(code),
        authTime: Math.floor(code.authTime.getTime() / 1000),
        grantId: code.grantId,
        familyId: code.id,
        nonce: code.nonce ?? undefined,
        sid: code.sid,
        amr: code.amr,
        refreshToken,
        dpopJkt,
      }),
  });
  if (redemption.outcome !== "redeemed") throw new OAuthError("invalid_grant", "The authorization code is invalid, expired or already used", { reason: failedRedemptionReason(redemption, "code") });
  return redemption.tokens;
};
