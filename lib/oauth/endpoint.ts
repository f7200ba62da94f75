/**
 * What every machine endpoint shares: reading parameters from a form or JSON
 * body, JSON answers that are never cached, and one place that turns errors
 * into answers. The handlers take a plain request and answer
 * plain data (lib/protocol-http.ts), so they are served outside Next's router
 * too.
 */
import { OAuthError, safeErrorDescription } from "@/lib/oauth/errors";
import { STATUS_CODES } from "node:http";
import { jsonAnswer, routeHandler, type Answer, type ProtocolHandler, type ProtocolRequest, type RouteHandler } from "@/lib/protocol-http";
import { isDatabaseUnavailable } from "@/lib/db";
import { isStorable } from "@/lib/storable";
import { metrics, routeLabel } from "@/lib/metrics";
import { authenticateClient, claimedClientId, InvalidClient } from "@/lib/oauth/client-auth";
import type { EndpointName } from "@/lib/oauth/endpoint-paths";
import { clientIp } from "@/lib/auth/client-ip";
import { recordFailedCall } from "@/lib/oauth/failure-log";
import { findClientForAuthentication } from "@/lib/oauth/store/clients";
import { preflightAnswer, withCors } from "@/lib/oauth/cors";
import { currentDpopNonce } from "@/lib/oauth/dpop";

/**
 * How an endpoint's refusals read: RFC 6749 §5.2's `{error, error_description}`
 * (which RFC 7591 registration shares), or RFC 9457 problem details for the
 * management API, which keep `error` and `error_description` as members.
 */
export type ErrorRendering = "oauth" | "problem";

export function errorAnswer(error: OAuthError, rendering: ErrorRendering = "oauth"): Answer {
  const headers: Record<string, string> = {};
  // RFC 6749 §5.2: a failed Basic authentication answers with the scheme the client used.
  if (error instanceof InvalidClient && error.usedBasic) headers["WWW-Authenticate"] = 'Basic realm="oauth", charset="UTF-8"';
  // RFC 6750 §3: a missing or bad bearer token (an initial or registration access token).
  if (error.code === "invalid_token") headers["WWW-Authenticate"] = 'Bearer error="invalid_token"';
  // RFC 9449 §8: the nonce to use next.
  if (error.code === "use_dpop_nonce") headers["DPoP-Nonce"] = currentDpopNonce();
  if (error.retryAfterSeconds) headers["Retry-After"] = String(error.retryAfterSeconds);
  const description = safeErrorDescription(error.description);
  if (rendering === "oauth") return jsonAnswer({ error: error.code, error_description: description }, { status: error.status, headers });
  const problem = {
    title: STATUS_CODES[error.status] ?? "Error",
    status: error.status,
    detail: description,
    error: error.code,
    error_description: description,
  };
  return jsonAnswer(problem, { status: error.status, headers: { ...headers, "Content-Type": "application/problem+json" } });
}

/** While the database does not answer: the client may simply try again. */
const UNAVAILABLE = () =>
  new OAuthError("temporarily_unavailable", "The service cannot reach its database right now; try again shortly", { retryAfterSeconds: 5 });
const SERVER_ERROR = () => new OAuthError("server_error", "The server could not complete the request");

/**
 * The one wrapper of every machine endpoint (OAuth, registration, /api/v1 and
 * the management API): errors of the family become their answer in the
 * endpoint's rendering; a database that does not answer becomes 503
 * temporarily_unavailable; anything else is logged and becomes server_error.
 */
export function endpoint<Context = unknown>(
  handler: ProtocolHandler<Context>,
  options: { cors?: boolean; errors?: ErrorRendering } = {},
): RouteHandler<Context> {
  const rendering = options.errors ?? "oauth";
  const guarded: ProtocolHandler<Context> = async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      const endpoint = routeLabel(new URL(request.url).pathname);
      if (error instanceof OAuthError) {
        metrics().oauthErrors.inc({ endpoint, error: error.code });
        if (!ROUTINE_ANSWERS.has(error.code))
          void explainToOwner(request, endpoint, error).catch((failed: unknown) =>
            console.error("recording a failed call failed:", failed),
          );
        return errorAnswer(error, rendering);
      }
      console.error(`${request.method} ${endpoint} failed:`, error);
      const failure = isDatabaseUnavailable(error) ? UNAVAILABLE() : SERVER_ERROR();
      metrics().oauthErrors.inc({ endpoint, error: failure.code });
      return errorAnswer(failure, rendering);
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

/** Each request's parameters once read, so a failure can be traced to the app that sent it. */
const requestParams = new WeakMap<ProtocolRequest, ReadonlyMap<string, string>>();

/**
 * The request's parameters from an `application/x-www-form-urlencoded` or
 * `application/json` body. RFC 6749 §3.2: a parameter sent twice is an error;
 * an empty value counts as absent.
 */
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
    for (const [name, value] of Object.entries(await readJsonObject(request))) add(name, value);
  } else {
    throw new OAuthError("invalid_request", "Send the parameters as application/x-www-form-urlencoded or application/json");
  }
  requestParams.set(request, params);
  return params;
}

/**
 * A request an app makes for itself: its parameters, and the app
 * authenticated by them (RFC 6749 §2.3), with the endpoint called as a
 * client assertion's audience.
 */
export async function appRequest(request: ProtocolRequest, endpointName: EndpointName) {
  const params = await readBodyParams(request);
  const { client, method } = await authenticateClient(request.headers, params, endpointName);
  return { params, client, method };
}

/** A JSON object body (a registration's metadata, a management request); anything else is the caller's error, under `code`. */
export async function readJsonObject(
  request: ProtocolRequest,
  code: "invalid_request" | "invalid_client_metadata" = "invalid_request",
): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    throw new OAuthError(code, "The body is not valid JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new OAuthError(code, "The body must be a JSON object");
  return body as Record<string, unknown>;
}
