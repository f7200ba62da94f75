/** grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.5). */
import type { AuthorizationCode } from "@/lib/generated/prisma/client";
import { allowsGrant } from "@/lib/oauth/clients";
import { OAuthError } from "@/lib/oauth/errors";
import { refusedRedemption, type GrantHandler } from "@/lib/oauth/grants/types";
import { issuedApi, issueUserTokens } from "@/lib/oauth/grants/user-tokens";
import { verifierMatchesChallenge, type CodeChallengeMethod } from "@/lib/oauth/pkce";
import { parseScope } from "@/lib/oauth/scopes";
import { consume, findCode, revokeReusedFamily } from "@/lib/oauth/store/tokens";
import { formatTime } from "@/lib/format";

/**
 * Why the code's own client may not redeem it with this request, or null when
 * it may. The client binding is checked before this, without touching the code.
 */
export function codeBindingProblem(code: AuthorizationCode, request: { redirectUri?: string; codeVerifier?: string }): string | null {
  if (code.expiresAt <= new Date()) return `the code expired at ${formatTime(code.expiresAt, { seconds: true })}`;
  // §4.1.3: redirect_uri must repeat the authorization request's, when that request sent one.
  if ((code.redirectUriSent || request.redirectUri !== undefined) && request.redirectUri !== code.redirectUri) {
    return `redirect_uri differs from the authorization request: sent ${request.redirectUri ?? "none"}, expected ${code.redirectUri}`;
  }
  if (code.codeChallenge) {
    if (!request.codeVerifier) return "code_verifier is missing: the authorization request sent a PKCE code_challenge";
    if (!verifierMatchesChallenge(request.codeVerifier, code.codeChallenge, code.codeChallengeMethod as CodeChallengeMethod))
      return "the PKCE code_verifier does not match the code_challenge";
  } else if (request.codeVerifier) {
    // RFC 9700 §4.8: a verifier for a code issued without a challenge is a downgrade attempt.
    return "a code_verifier was sent, but the code was issued without a code_challenge";
  }
  return null;
}

/**
 * A code issued to another client is left as it is: that client learns
 * nothing and changes nothing. For the right client a second use revokes
 * everything issued from the code (RFC 6749 §4.1.2), and a failed binding
 * check (redirect_uri, PKCE, expiry) still uses it up (RFC 9700 §4.8).
 */
export const authorizationCodeGrant: GrantHandler = async ({ client, params, ip, dpopJkt }) => {
  if (!allowsGrant(client, "authorization_code"))
    throw new OAuthError("unauthorized_client", "This client is not allowed the authorization code grant");
  const codeValue = params.get("code");
  if (!codeValue) throw new OAuthError("invalid_request", "code is required");
  const refused = (failure: Parameters<typeof refusedRedemption>[0]) => refusedRedemption(failure, "code");

  const code = await findCode(codeValue);
  if (!code || code.clientId !== client.id) throw refused({ outcome: "unknown" });
  const reused = async (usedAt: Date | null) => {
    await revokeReusedFamily(code.id, code.clientId, "code_reused", {
      type: "token.code_reuse_detected",
      clientId: code.clientId,
      userId: code.userId,
      grantId: code.grantId,
    });
    return refused({ outcome: "reused", usedAt });
  };
  if (code.consumedAt) throw await reused(code.consumedAt);
  const problem = codeBindingProblem(code, { redirectUri: params.get("redirect_uri"), codeVerifier: params.get("code_verifier") });
  if (problem) {
    if (!(await consume({ code: code.id })).won) throw await reused(null);
    throw refused({ outcome: "refused", reason: problem });
  }

  const scopes = parseScope(code.scopes);
  const issued = await issueUserTokens({
    client,
    uses: { code: code.id },
    user: code.user,
    grantId: code.grantId,
    scopes,
    api: await issuedApi(code.audience, params),
    authTime: code.authTime,
    nonce: code.nonce ?? undefined,
    sid: code.sid,
    amr: code.amr,
    // One family per redeemed code: its id is the code's, so code reuse can find it.
    family: { id: code.id, authorizationCodeId: code.id, scopes: code.scopes, audience: code.audience },
    dpopJkt,
    event: { type: "token.issued", ip, details: { grantType: "authorization_code" } },
  });
  if (issued.outcome === "lost") throw await reused(null);
  if (issued.outcome === "refused") throw refused(issued);
  return issued.tokens;
};
