/** GET/POST /oauth/userinfo (OpenID Connect Core §5.3), with a bearer access token carrying `openid`. */
import { findUserById } from "@/lib/accounts/users";
import { portalApiAudience } from "@/lib/oauth/audiences";
import { bearerErrorResponse, bearerTokenOf } from "@/lib/oauth/bearer";
import { oauthEndpoint } from "@/lib/oauth/endpoint";
import { claimsForScopes } from "@/lib/oauth/grants/user-tokens";
import { verifyAccessToken } from "@/lib/oauth/tokens";
import { jsonAnswer } from "@/lib/protocol-http";

export const userinfoEndpoint = oauthEndpoint(async (request) => {
  const token = bearerTokenOf(request.headers);
  if (!token) return bearerErrorResponse({ status: 401 });
  const claims = await verifyAccessToken(token, { audience: portalApiAudience() });
  if (!claims || !claims.hasUser) return bearerErrorResponse({ status: 401, error: "invalid_token", description: "The access token is invalid, expired or revoked" });
  if (!claims.scopes.includes("openid")) return bearerErrorResponse({ status: 403, error: "insufficient_scope", description: "The openid scope is required", scope: "openid" });
  const user = await findUserById(claims.sub);
  if (!user || user.disabledAt) return bearerErrorResponse({ status: 401, error: "invalid_token", description: "The account is no longer active" });
  return jsonAnswer({ sub: user.id, ...claimsForScopes(user, claims.scopes) });
});
