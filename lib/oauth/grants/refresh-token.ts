/** grant_type=refresh_token (RFC 6749 §6), rotating on every use (RFC 9700 §4.14.2). */
import { DpopProofError } from "@/lib/oauth/dpop";
import { allowsGrant } from "@/lib/oauth/clients";
import { OAuthError } from "@/lib/oauth/errors";
import { refusedRedemption, type GrantHandler, type TokenResponse } from "@/lib/oauth/grants/types";
import { issuedApi, issueUserTokens } from "@/lib/oauth/grants/user-tokens";
import { parseScope } from "@/lib/oauth/scopes";
import { findRefreshTokenWithUser, revokeReusedFamily } from "@/lib/oauth/store/tokens";
import { earlierRefreshAnswer, rememberRefreshAnswer } from "@/lib/oauth/store/refresh-grace";
import type { RefreshToken } from "@/lib/generated/prisma/client";

const GRACE_WAIT_MS = 1000;

/**
 * The answer the token's rotation gave, within the app's grace window: the
 * rotation that won may still be writing it, so wait for it a moment.
 */
async function earlierAnswerWithin(token: RefreshToken, graceSeconds: number): Promise<TokenResponse | null> {
  if (graceSeconds === 0 || (token.rotatedAt && Date.now() - token.rotatedAt.getTime() > graceSeconds * 1000)) return null;
  for (let waited = 0; ; waited += 50) {
    const answer = await earlierRefreshAnswer<TokenResponse>(token.id);
    if (answer || waited >= GRACE_WAIT_MS) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The presented token is retired and a new one of the same family returned.
 * Presenting a retired token again revokes the whole family, since one of the
 * two holders is not the client; within the app's grace window, it gets the
 * answer its rotation gave instead (a lost response).
 */
export const refreshTokenGrant: GrantHandler = async ({ client, params, ip, dpopJkt }) => {
  if (!allowsGrant(client, "refresh_token"))
    throw new OAuthError("unauthorized_client", "This client is not allowed the refresh token grant");
  const tokenValue = params.get("refresh_token");
  if (!tokenValue) throw new OAuthError("invalid_request", "refresh_token is required");
  const requested = params.has("scope") ? parseScope(params.get("scope")) : undefined;
  const refused = (failure: Parameters<typeof refusedRedemption>[0]) => refusedRedemption(failure, "refresh token");

  const token = await findRefreshTokenWithUser(tokenValue);
  // Another client's token is treated as unknown: it learns nothing about it.
  if (!token || token.clientId !== client.id) throw refused({ outcome: "unknown" });
  if (token.revokedAt) throw refused({ outcome: "refused", reason: "the refresh token was revoked" });
  if (token.expiresAt <= new Date()) throw refused({ outcome: "refused", reason: "the refresh token expired" });
  // Scope may narrow, never widen.
  const granted = new Set(parseScope(token.scopes));
  if (requested?.some((scope) => !granted.has(scope)))
    throw new OAuthError("invalid_scope", "The requested scope exceeds what was granted");
  // A bound refresh token needs a proof with its own key.
  if (token.dpopJkt && token.dpopJkt !== dpopJkt)
    throw new DpopProofError("This refresh token is bound to a DPoP key: send a proof signed with it");
  const reused = async () => {
    // Lost a race with the same token, or presented again: the rotation's answer within the grace window.
    const earlier = await earlierAnswerWithin(token, client.refreshGraceSeconds);
    if (earlier) return earlier;
    await revokeReusedFamily(token.familyId, token.clientId, "refresh_token_reused", {
      type: "token.refresh_reuse_detected",
      clientId: token.clientId,
      userId: token.userId,
      grantId: token.grantId,
      details: { familyId: token.familyId },
    });
    throw refused({ outcome: "reused", usedAt: token.rotatedAt });
  };
  if (token.rotatedAt) return reused();

  const scopes = requested ?? parseScope(token.scopes);
  const issued = await issueUserTokens({
    client,
    uses: { refreshToken: token.id },
    user: token.user,
    grantId: token.grantId,
    scopes,
    api: await issuedApi(token.audience, params),
    authTime: token.authTime ?? token.createdAt,
    sid: token.sid,
    amr: token.amr,
    family: { rotating: token },
    dpopJkt,
    event: { type: "token.refreshed", ip, details: { familyId: token.familyId } },
  });
  if (issued.outcome === "lost") return reused();
  if (issued.outcome === "refused") throw refused(issued);
  if (client.refreshGraceSeconds > 0) await rememberRefreshAnswer(token.id, issued.tokens, client.refreshGraceSeconds);
  return issued.tokens;
};
