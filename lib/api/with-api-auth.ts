/**
 * The one guard for every /api/v1 route (RFC 6750). It reads the bearer
 * token, verifies it as an access token of this portal for the portal's API
 * (signature against the cached keys, iss, aud, exp, typ at+jwt, revocation
 * from memory), checks the route's scopes and hands the route a principal.
 *
 *   export const GET = withApiAuth({ scopes: ["apps.read"], requireUser: true }, async (request, principal) => ...);
 */
import { portalApiAudience } from "@/lib/oauth/apis";
import { endpoint } from "@/lib/oauth/endpoint";
import { accessTokenOf, bearerErrorResponse, dpopErrorResponse } from "@/lib/oauth/bearer";
import { possessionProblem } from "@/lib/oauth/dpop";
import { verifyAccessToken, type AccessTokenClaims } from "@/lib/oauth/tokens";
import { getConfig } from "@/lib/config";
import { jsonAnswer, type Answer, type ProtocolRequest, type RouteHandler } from "@/lib/protocol-http";

export type Principal = {
  clientId: string;
  /** The person the token acts for; null for a client credentials token. */
  userId: string | null;
  /** Whether the token acts for a person (issued by a code, refresh or device-code exchange) or for the app itself (client credentials). */
  actsFor: "user" | "client";
  scopes: readonly string[];
  can: (scope: string) => boolean;
  /** The token's id and expiry, for logging or caching. */
  tokenId: string;
  expiresAt: Date;
};

export type ApiAuthOptions = {
  /** Every one of these scopes is required. */
  scopes?: readonly string[];
  /** Refuse client credentials tokens: the route acts for a person. */
  requireUser?: boolean;
};

type RouteContext = { params: Promise<Record<string, string | string[]>> };
export type ApiHandler<Context = RouteContext> = (request: ProtocolRequest, principal: Principal, context: Context) => Promise<Answer>;

/** A JSON answer for API routes, never cached by intermediaries. */
export function apiJson(body: unknown, init: { status?: number } = {}): Answer {
  return jsonAnswer(body, init);
}

function principalFrom(claims: AccessTokenClaims): Principal {
  const scopes = new Set(claims.scopes);
  return {
    clientId: claims.clientId,
    userId: claims.hasUser ? claims.sub : null,
    actsFor: claims.hasUser ? "user" : "client",
    scopes: claims.scopes,
    can: (scope) => scopes.has(scope),
    tokenId: claims.jti,
    expiresAt: new Date(claims.exp * 1000),
  };
}

/** Routes of the portal's API answer refusals as RFC 9457 problem details (lib/oauth/endpoint.ts). */
export function withApiAuth<Context = RouteContext>(options: ApiAuthOptions, handler: ApiHandler<Context>): RouteHandler<Context> {
  const required = options.scopes ?? [];
  return endpoint<Context>(
    async (request, context) => {
      const presented = accessTokenOf(request.headers);
      // RFC 6750 §3.1: a request without credentials gets the challenge and no error code.
      if (!presented) return bearerErrorResponse({ status: 401 });
      const claims = await verifyAccessToken(presented.token, { audience: portalApiAudience() });
      if (!claims)
        return bearerErrorResponse({ status: 401, error: "invalid_token", description: "The access token is invalid, expired or revoked" });
      // RFC 9449: a DPoP-bound token is good only with a proof of its key.
      const possession =
        claims.jkt || presented.scheme === "DPoP"
          ? await possessionProblem(presented, claims, {
              method: request.method,
              url: `${getConfig().issuer}${new URL(request.url).pathname}`,
              headers: request.headers,
            })
          : null;
      if (possession) return dpopErrorResponse(possession);
      const principal = principalFrom(claims);
      const missing = required.filter((scope) => !principal.can(scope));
      if (missing.length > 0) {
        return bearerErrorResponse({
          status: 403,
          error: "insufficient_scope",
          description: "The access token lacks a required scope",
          scope: required.join(" "),
        });
      }
      if (options.requireUser && principal.userId === null) {
        return bearerErrorResponse({
          status: 403,
          error: "insufficient_scope",
          description: "This route acts for a person; a client credentials token cannot use it",
        });
      }
      return await handler(request, principal, context);
    },
    { errors: "problem" },
  );
}
