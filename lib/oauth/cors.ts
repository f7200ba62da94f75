/**
 * CORS for browser apps (single-page apps): the token, revocation and
 * userinfo endpoints, the JWKS and discovery answer pages whose origin an app
 * lists among its allowed origins, and no other origin; no other endpoint
 * answers CORS at all. What an origin may do is still decided by the request's
 * own credentials: CORS only lets that page read the answer. Whether an origin
 * is allowed is cached per origin for a moment (CACHE_MS), like apps.
 */
import { anyClientAllowsOrigin } from "@/lib/oauth/store/clients";
import type { Answer, HeaderReader, ProtocolHandler } from "@/lib/protocol-http";

const CACHE_MS = 2000;
const KEPT = 10_000;
const decisions = new Map<string, { allowed: boolean; at: number }>();

async function originAllowed(origin: string): Promise<boolean> {
  const known = decisions.get(origin);
  if (known && Date.now() - known.at < CACHE_MS) return known.allowed;
  const allowed = await anyClientAllowsOrigin(origin);
  if (decisions.size >= KEPT) decisions.delete(decisions.keys().next().value!);
  decisions.set(origin, { allowed, at: Date.now() });
  return allowed;
}

/** The CORS headers for a request: Access-Control-Allow-Origin only for an allowed origin; Vary always. */
export async function corsHeaders(headers: HeaderReader): Promise<Record<string, string>> {
  const origin = headers.get("origin");
  if (!origin || !(await originAllowed(origin))) return { Vary: "Origin" };
  return { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "WWW-Authenticate, DPoP-Nonce", Vary: "Origin" };
}

/** The answer to a preflight (OPTIONS): 204 with what the browser may send, or 403 for an origin no app allows. */
export async function preflightAnswer(headers: HeaderReader, methods: string): Promise<Answer> {
  const cors = await corsHeaders(headers);
  if (!cors["Access-Control-Allow-Origin"]) return { status: 403, headers: { Vary: "Origin", "Content-Type": "text/plain" }, body: "This origin is not allowed: add it to the app's allowed origins." };
  return {
    status: 204,
    headers: { ...cors, "Access-Control-Allow-Methods": methods, "Access-Control-Allow-Headers": "Authorization, Content-Type, DPoP", "Access-Control-Max-Age": "600" },
    body: "",
  };
}

/** A protocol handler whose answers carry the CORS headers. */
export function withCors<Context>(handler: ProtocolHandler<Context>): ProtocolHandler<Context> {
  return async (request, context) => {
    const [answer, cors] = await Promise.all([handler(request, context), corsHeaders(request.headers)]);
    return { ...answer, headers: { ...answer.headers, ...cors } };
  };
}
