/** GET/POST /oauth/userinfo (OpenID Connect Core §5.3), with a bearer access token carrying `openid`. */
import { findUserById } from "@/lib/accounts/users";
import { portalApiAudience, userinfoAudience } from "@/lib/oauth/apis";
import { accessTokenOf, bearerErrorResponse, dpopErrorResponse } from "@/lib/oauth/bearer";
import { possessionProblem } from "@/lib/oauth/dpop";
import { corsPreflight, noteRequestClient, endpoint } from "@/lib/oauth/endpoint";
import { claimsForScopes } from "@/lib/oauth/claims";
import { verifyAccessToken } from "@/lib/oauth/tokens";
import { jsonAnswer } from "@/lib/protocol-http";
import { endpointUrl } from "@/lib/oauth/endpoint-paths";

export const userinfoEndpoint = endpoint(
  async (request) => {
    const presented = accessTokenOf(request.headers);
    if (!presented) return bearerErrorResponse({ status: 401 });
    const claims = await verifyAccessToken(presented.token);
    // Tokens with openid name userinfo among their audiences; the portal's own API tokens are accepted too, to answer 403 without openid.
    const forUserinfo = claims?.aud.some((audience) => audience === userinfoAudience() || audience === portalApiAudience());
    if (claims) noteRequestClient(request, claims.clientId);
    if (!claims || !forUserinfo || !claims.hasUser)
      return bearerErrorResponse({ status: 401, error: "invalid_token", description: "The access token is invalid, expired or revoked" });
    const possession =
      claims.jkt || presented.scheme === "DPoP"
        ? await possessionProblem(presented, claims, { method: request.method, url: endpointUrl("userinfo"), headers: request.headers })
        : null;
    if (possession) return dpopErrorResponse(possession);
    if (!claims.scopes.includes("openid"))
      return bearerErrorResponse({
        status: 403,
        error: "insufficient_scope",
        description: "The openid scope is required",
        scope: "openid",
      });
    const user = await findUserById(claims.sub);
    if (!user || user.disabledAt)
      return bearerErrorResponse({ status: 401, error: "invalid_token", description: "The account is no longer active" });
    return jsonAnswer({ sub: user.id, ...claimsForScopes(user, claims.scopes) });
  },
  { cors: true },
);

export const userinfoPreflight = corsPreflight("GET, POST");
