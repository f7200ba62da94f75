/**
 * A small API outside the portal that accepts the portal's access tokens,
 * verified with jose alone: signature against the portal's JWKS, the issuer,
 * this API's identifier as audience, the RFC 9068 token type, and the scope
 * each route needs.
 *
 *   ISSUER_URL=http://localhost:3000 API_IDENTIFIER=appointments:api PORT=4000 node examples/api/server.mjs
 *
 * GET /appointments needs the scope "appointments"; GET /health needs nothing.
 */
import { createServer } from "node:http";
import { createRemoteJWKSet, jwtVerify } from "jose";

const issuer = process.env.ISSUER_URL ?? "http://localhost:3000";
const audience = process.env.API_IDENTIFIER ?? "appointments:api";
const port = Number(process.env.PORT ?? 4000);

// jose caches the keys and fetches them again when a token names a kid it has not seen (a key rotation).
const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));

/** The token's claims, or the RFC 6750 answer to send instead. */
async function authorize(request, requiredScope) {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(request.headers.authorization ?? "");
  if (!match) return { status: 401, challenge: 'Bearer realm="api"' };
  try {
    const { payload } = await jwtVerify(match[1], jwks, { issuer, audience, typ: "at+jwt", algorithms: ["ES256", "RS256", "EdDSA"] });
    const scopes = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
    if (requiredScope && !scopes.includes(requiredScope)) {
      return { status: 403, challenge: `Bearer error="insufficient_scope", scope="${requiredScope}"` };
    }
    return { claims: payload };
  } catch {
    return { status: 401, challenge: 'Bearer error="invalid_token"' };
  }
}

function send(response, status, body, headers = {}) {
  response.writeHead(status, { "Content-Type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

const server = createServer(async (request, response) => {
  const path = new URL(request.url ?? "/", "http://localhost").pathname;
  if (path === "/health") return send(response, 200, { ok: true });
  if (path !== "/appointments" || request.method !== "GET") return send(response, 404, { error: "not_found" });
  const result = await authorize(request, "appointments");
  if (!result.claims)
    return send(
      response,
      result.status,
      { error: result.status === 403 ? "insufficient_scope" : "invalid_token" },
      { "WWW-Authenticate": result.challenge },
    );
  // sub is the person (or the app itself, for a client credentials token); client_id is the app.
  send(response, 200, { for: result.claims.sub, app: result.claims.client_id, appointments: [{ id: 1, when: "2026-12-01T09:00:00Z" }] });
});

server.listen(port, "127.0.0.1", () => console.log(`Example API (${audience}) on http://127.0.0.1:${port}, trusting ${issuer}`));
