/** grant_type=refresh_token (RFC 6749 §6), rotating on every use (RFC 9700 §4.14.2). */
import { DpopProofError } from "@/lib/oauth/dpop";
import { OAuthError } from "@/lib/oauth/errors";
import { allowsGrant, failedRedemptionReason, type GrantHandler, type TokenResponse } from "@/lib/oauth/grants/types";
import { issuedApi, prepareUserTokens } from "@/lib/oauth/grants/user-tokens";
import { parseScope } from "@/lib/oauth/scopes";
import { rotateRefreshToken } from "@/lib/oauth/store/tokens";
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

export const refreshTokenGrant: GrantHandler = async ({ client, params, ip, dpopJkt }) => {
  if (!allowsGrant(client, "refresh_token")) throw new OAuthError("unauthorized_client", "This client is not allowed the refresh token grant");
  const tokenValue = params.get("refresh_token");
  if (!tokenValue) throw new OAuthError("invalid_request", "refresh_token is required");
  const requested = params.has("scope") ? parseScope(params.get("scope")) : undefined;

  const rotation = await rotateRefreshToken({
    token: tokenValue,
    clientId: client.id,
    refreshTokenTtl: client.refreshTokenTtl ?? undefined,
    check: (token) => {
      // Scope may narrow, never widen.
      const granted = new Set(parseScope(token.scopes));
      if (requested?.some((scope) => !granted.has(scope))) throw new OAuthError("invalid_scope", "The requested scope exceeds what was granted");
      // A bound refresh token needs a proof with its own key.
      if (token.dpopJkt && token.dpopJkt !== dpopJkt) throw new DpopProofError("This refresh token is bound to a DPoP key: send a proof signed with it");
    },
    event: (token) => ({
      type: "token.refreshed",
      clientId: client.id,
      userId: token.userId,
      grantId: token.grantId,
      scopes: requested ?? parseScope(token.scopes),
      ip,
      details: { familyId: token.familyId },
    }),
    earlierAnswer: (token) => earlierAnswerWithin(token, client.refreshGraceSeconds),
    remember: (token, tokens) => (client.refreshGraceSeconds > 0 ? rememberRefreshAnswer(token.id, tokens, client.refreshGraceSeconds) : Promise.resolve()),
    mint: async (previous, refreshToken) =>
      prepareUserTokens({
        user: previous.grant.user,
        client,
        scopes: requested ?? parseScope(previous.scopes),
        api: await issuedApi(previous.audience, params),
        authTime: Math.floor((previous.authTime ?? previous.createdAt).getTime() / 1000),
        grantId: previous.grantId,
        familyId: previous.familyId,
        sid: previous.sid,
        amr: previous.amr,
        refreshToken,
        dpopJkt,
      }),
  });
  if (rotation.outcome !== "rotated") throw new OAuthError("invalid_grant", "The refresh token is invalid, expired, revoked or already used", { reason: failedRedemptionReason(rotation, "refresh token") });
  return rotation.tokens;
};
