/**
 * What every protocol endpoint shares: reading parameters from a form or JSON
 * body, JSON answers that are never cached, and one place that turns errors
 * into RFC 6749 §5.2 responses. The handlers take a plain request and answer
 * plain data (lib/protocol-http.ts), so they are served outside Next's router
 * too.
 */
import { OAuthError, safeErrorDescription } from "@/lib/oauth/errors";
import { jsonAnswer, routeHandler, type Answer, type ProtocolRequest, type RouteHandler } from "@/lib/protocol-http";
import { isDatabaseUnavailable } from "@/lib/db";
import { isStorable } from "@/lib/storable";
import { metrics, routeLabel } from "@/lib/metrics";
import { claimedClientId, InvalidClient } from "@/lib/oauth/client-auth";
import { clientIp } from "@/lib/auth/client-ip";
import { recordFailedCall } from "@/lib/oauth/failure-log";
import { findClientForAuthentication } from "@/lib/oauth/store/clients";
import { preflightAnswer, withCors } from "@/lib/oauth/cors";
import { currentDpopNonce } from "@/lib/oauth/dpop";

export function oauthErrorResponse(error: OAuthError): Answer {
  const headers: Record<string, string> = {};
  // RFC 6749 §5.2: a failed Basic authentication answers with the scheme the client used.
  if (error instanceof InvalidClient && error.usedBasic) headers["WWW-Authenticate"] = 'Basic realm="oauth", charset="UTF-8"';
  // RFC 9449 §8: the nonce to use next.
  if (error.code === "use_dpop_nonce") headers["DPoP-Nonce"] = currentDpopNonce();
  return jsonAnswer({ error: error.code, error_description: safeErrorDescription(error.description) }, { status: error.status, headers });
}

/** 503 while the database does not answer: the client may simply try again. */
export function temporarilyUnavailableResponse(): Answer {
  return jsonAnswer(
    { error: "temporarily_unavailable", error_description: "The service cannot reach its database right now; try again shortly" },
    { status: 503, headers: { "Retry-After": String(RETRY_AFTER_SECONDS) } },
  );
}

const RETRY_AFTER_SECONDS = 5;

/**
 * Wraps a handler into a route: OAuth errors become their JSON answer; a
 * database that does not answer becomes 503 temporarily_unavailable; anything
 * else is logged and becomes server_error.
 */
export function oauthEndpoint(handler: (request: ProtocolRequest) => Promise<Answer>, options: { cors?: boolean } = {}): RouteHandler {
  const guarded = async (request: ProtocolRequest): Promise<Answer> => {
    try {
      return await handler(request);
    } catch (error) {
      const endpoint = routeLabel(new URL(request.url).pathname);
      if (error instanceof OAuthError) {
        metrics().oauthErrors.inc({ endpoint, error: error.code });
        if (!ROUTINE_ANSWERS.has(error.code)) void explainToOwner(request, endpoint, error).catch((failed: unknown) => console.error("recording a failed call failed:", failed));
        return oauthErrorResponse(error);
      }
      console.error(`${request.method} ${endpoint} failed:`, error);
      const unavailable = isDatabaseUnavailable(error);
      metrics().oauthErrors.inc({ endpoint, error: unavailable ? "temporarily_unavailable" : "server_error" });
      if (unavailable) return temporarilyUnavailableResponse();
      return oauthErrorResponse(new OAuthError("server_error", "The server could not complete the request"));
    }
  };
  return routeHandler(options.cors ? withCors(guarded, requestClient) : guarded);
}

/** The apps requests came from, as their handlers learned it from something other than the parameters (an access token). */
const requestClients = new WeakMap<ProtocolRequest, string>();

export function noteRequestClient(request: ProtocolRequest, clientId: string): void {
  requestClients.set(request, clientId);
}

/** The app a request came from: as its handler noted it, or as its parameters name it. */
function requestClient(request: ProtocolRequest): string | undefined {
  const params = requestParams.get(request);
  return requestClients.get(request) ?? (params ? claimedClientId(request.headers, params) : undefined);
}

/** Answers that are part of a protocol's normal course (device polling, DPoP nonces), not failures. */
const ROUTINE_ANSWERS = new Set(["authorization_pending", "slow_down", "use_dpop_nonce"]);

/** The failure goes into the activity of the app the request names, when that app exists, with the reason for its owner. */
async function explainToOwner(request: ProtocolRequest, endpoint: string, error: OAuthError): Promise<void> {
  const params = requestParams.get(request);
  const clientId = params ? claimedClientId(request.headers, params) : undefined;
  if (!clientId || !(await findClientForAuthentication(clientId))) return;
  await recordFailedCall({ clientId, endpoint, error: error.code, ip: clientIp(request.headers) }, error.reason ?? error.description);
}

/** OPTIONS for an endpoint browser apps may call (lib/oauth/cors.ts). */
export function corsPreflight(methods: string): RouteHandler {
  return routeHandler((request) => preflightAnswer(request.headers, methods));
}

/**
 * The request's parameters from an `application/x-www-form-urlencoded` or
 * `application/json` body. RFC 6749 §3.2: a parameter sent twice is an error;
 * an empty value counts as absent.
 */
/** Each request's parameters once read, so a failure can be traced to the app that sent it. */
const requestParams = new WeakMap<ProtocolRequest, ReadonlyMap<string, string>>();

export async function readBodyParams(request: ProtocolRequest): Promise<Map<string, string>> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const params = new Map<string, string>();
  const add = (name: string, value: unknown) => {
    if (typeof value !== "string") throw new OAuthError("invalid_request", `The ${name} parameter must be a string`);
    if (value === "") return;
    if (!isStorable(name) || !isStorable(value)) throw new OAuthError("invalid_request", "A parameter contains a NUL character");
    if (params.has(name)) throw new OAuthError("invalid_request", `The ${name} parameter was sent more than once`);
    params.set(name, value);
  };
  if (type === "application/x-www-form-urlencoded") {
    for (const [name, value] of new URLSearchParams(await request.text())) add(name, value);
  } else if (type === "application/json") {
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      throw new OAuthError("invalid_request", "The body is not valid JSON");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new OAuthError("invalid_request", "The body must be a JSON object");
    for (const [name, value] of Object.entries(body)) add(name, value);
  } else {
    throw new OAuthError("invalid_request", "Send the parameters as application/x-www-form-urlencoded or application/json");
  }
  requestParams.set(request, params);
  return params;
}
