/**
 * POST /oauth/revoke (RFC 7009). The hint is only where to look first; a
 * client can revoke only its own tokens, and an unknown or foreign token still
 * gets 200 (§2.2), so the answer says nothing about other clients' tokens.
 */
import { clientIp } from "@/lib/auth/client-ip";
import { appRequest, corsPreflight, endpoint } from "@/lib/oauth/endpoint";
import { OAuthError } from "@/lib/oauth/errors";
import { findRefreshToken, revokeAccessToken, revokeRefreshFamily } from "@/lib/oauth/store/tokens";
import { accessTokenToRevoke } from "@/lib/oauth/tokens";
import { parseScope } from "@/lib/oauth/scopes";
import { jsonAnswer } from "@/lib/protocol-http";

export const revokeEndpoint = endpoint(
  async (request) => {
    const { params, client } = await appRequest(request, "revocation");
    const token = params.get("token");
    if (!token) throw new OAuthError("invalid_request", "token is required");
    const ip = clientIp(request.headers);

    // Access tokens are JWTs (three dot-separated parts); refresh tokens never contain a dot.
    if (token.includes(".")) {
      const claims = await accessTokenToRevoke(token);
      if (claims && claims.clientId === client.id) {
        await revokeAccessToken(claims.jti, client.id, new Date(claims.exp * 1000), {
          type: "token.revoked",
          clientId: client.id,
          userId: claims.hasUser ? claims.sub : null,
          grantId: claims.grantId,
          scopes: claims.scopes,
          ip,
          details: { tokenType: "access_token" },
        });
      }
    } else {
      const refresh = await findRefreshToken(token);
      if (refresh && refresh.clientId === client.id && !refresh.revokedAt) {
        await revokeRefreshFamily(refresh, {
          type: "token.revoked",
          clientId: client.id,
          userId: refresh.userId,
          grantId: refresh.grantId,
          scopes: parseScope(refresh.scopes),
          ip,
          details: { tokenType: "refresh_token", familyId: refresh.familyId },
        });
      }
    }
    // RFC 7009 §2.2 allows any body; common client libraries (simple-oauth2) insist on JSON.
    return jsonAnswer({});
  },
  { cors: true },
);

export const revokePreflight = corsPreflight("POST");
