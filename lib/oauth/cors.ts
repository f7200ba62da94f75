/**
 * CORS for browser apps (single-page apps). The token, revocation and
 * userinfo endpoints answer a page only when the app making the request lists
 * its origin (exactly) among its allowed origins; the JWKS, discovery and
 * every preflight, which name no app, answer an origin some app lists. No
 * other endpoint answers CORS at all. What an origin may do is still decided
 * by the request's own credentials: CORS only lets that page read the answer.
 * Whether an origin is allowed by some app is cached per origin for a moment
 * (CACHE_MS), like apps.
 */
import { anyClientAllowsOrigin, findClientForAuthentication } from "@/lib/oauth/store/clients";
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

function allowing(origin: string): Record<string, string> {
  return { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "WWW-Authenticate, DPoP-Nonce", Vary: "Origin" };
}

/** The CORS headers for a request that names no app: Access-Control-Allow-Origin for an origin some app allows; Vary always. */
export async function corsHeaders(headers: HeaderReader): Promise<Record<string, string>> {
  const origin = headers.get("origin");
  if (!origin || !(await originAllowed(origin))) return { Vary: "Origin" };
  return allowing(origin);
}

/** The CORS headers for an answer to one app: Access-Control-Allow-Origin only for an origin that app lists; none when no app is known. */
export async function clientCorsHeaders(headers: HeaderReader, clientId: string | undefined): Promise<Record<string, string>> {
  const origin = headers.get("origin");
  if (!origin || !clientId) return { Vary: "Origin" };
  const client = await findClientForAuthentication(clientId);
  return client && !client.disabledAt && client.allowedOrigins.split(" ").includes(origin) ? allowing(origin) : { Vary: "Origin" };
}

/** The answer to a preflight (OPTIONS): 204 with what the browser may send, or 403 for an origin no app allows. */
export async function preflightAnswer(headers: HeaderReader, methods: string): Promise<Answer> {
  const cors = await corsHeaders(headers);
  if (!cors["Access-Control-Allow-Origin"])
    return {
      status: 403,
      headers: { Vary: "Origin", "Content-Type": "text/plain" },
      body: "This origin is not allowed: add it to the app's allowed origins.",
    };
  return {
    status: 204,
    headers: {
      ...cors,
      "Access-Control-Allow-Methods": methods,
      "Access-Control-Allow-Headers": "Authorization, Content-Type, DPoP",
      "Access-Control-Max-Age": "600",
    },
    body: "",
  };
}

/** A protocol handler whose answers carry the CORS headers of the app that made the request (`clientOf`, known once the handler ran). */
export function withCors<Context>(
  handler: ProtocolHandler<Context>,
  clientOf: (request: Parameters<ProtocolHandler<Context>>[0]) => string | undefined,
): ProtocolHandler<Context> {
  return async (request, context) => {
    const answer = await handler(request, context);
    return { ...answer, headers: { ...answer.headers, ...(await clientCorsHeaders(request.headers, clientOf(request))) } };
  };
}
