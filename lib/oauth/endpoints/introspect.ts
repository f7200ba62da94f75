/**
 * POST /oauth/introspect (RFC 7662), for authenticated confidential clients.
 * Anything expired, revoked, malformed or issued to another client is
 * `{"active": false}` and nothing more (§2.2).
 */
import { InvalidClient } from "@/lib/oauth/client-auth";
import { appRequest, endpoint } from "@/lib/oauth/endpoint";
import { OAuthError } from "@/lib/oauth/errors";
import { findRefreshToken } from "@/lib/oauth/store/tokens";
import { verifyAccessToken } from "@/lib/oauth/tokens";
import { getConfig } from "@/lib/config";
import { jsonAnswer } from "@/lib/protocol-http";

const INACTIVE = { active: false } as const;

async function introspect(token: string, clientId: string): Promise<Record<string, unknown>> {
  if (token.includes(".")) {
    // Authoritative: a token revoked at any instance is inactive here at once.
    const claims = await verifyAccessToken(token, { authoritative: true });
    if (!claims || claims.clientId !== clientId) return INACTIVE;
    return {
      active: true,
      token_type: "Bearer",
      scope: claims.scopes.join(" "),
      client_id: claims.clientId,
      sub: claims.sub,
      aud: claims.aud.length === 1 ? claims.aud[0] : claims.aud,
      iss: getConfig().issuer,
      exp: claims.exp,
      iat: claims.iat,
      jti: claims.jti,
      ...(claims.authTime !== undefined ? { auth_time: claims.authTime } : {}),
      ...(claims.jkt ? { cnf: { jkt: claims.jkt }, token_type: "DPoP" } : {}),
    };
  }
  const refresh = await findRefreshToken(token);
  if (!refresh || refresh.clientId !== clientId || refresh.revokedAt || refresh.rotatedAt || refresh.expiresAt <= new Date())
    return INACTIVE;
  return {
    active: true,
    token_type: "refresh_token",
    scope: refresh.scopes,
    client_id: refresh.clientId,
    sub: refresh.userId,
    iss: getConfig().issuer,
    exp: Math.floor(refresh.expiresAt.getTime() / 1000),
    iat: Math.floor(refresh.createdAt.getTime() / 1000),
  };
}

export const introspectEndpoint = endpoint(async (request) => {
  const { params, client, method } = await appRequest(request, "introspection");
  if (method === "none") throw new InvalidClient("Introspection needs client authentication", false);
  const token = params.get("token");
  if (!token) throw new OAuthError("invalid_request", "token is required");
  return jsonAnswer(await introspect(token, client.id));
});
