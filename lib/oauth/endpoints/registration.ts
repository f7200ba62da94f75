/**
 * The registration endpoint (RFC 7591) and the client configuration endpoint
 * (RFC 7592), as plain handlers: JSON in, JSON out, never cached.
 */
import { clientIp } from "@/lib/auth/client-ip";
import { isDatabaseUnavailable } from "@/lib/db";
import { bearerTokenOf } from "@/lib/oauth/bearer";
import { temporarilyUnavailableResponse } from "@/lib/oauth/endpoint";
import { deleteRegistration, readRegistration, registerDynamicClient, RegistrationError, updateRegistration } from "@/lib/oauth/registration";
import { jsonAnswer, routeHandler, type Answer, type ProtocolRequest } from "@/lib/protocol-http";

function errorAnswer(error: RegistrationError): Answer {
  const headers: Record<string, string> = {};
  if (error.status === 401) headers["WWW-Authenticate"] = `Bearer error="invalid_token"`;
  if (error.retryAfterSeconds) headers["Retry-After"] = String(error.retryAfterSeconds);
  return jsonAnswer({ error: error.code, error_description: error.description }, { status: error.status, headers });
}

async function jsonBody(request: ProtocolRequest): Promise<unknown> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) throw new RegistrationError("invalid_client_metadata", "Send the metadata as application/json");
  try {
    return JSON.parse(await request.text());
  } catch {
    throw new RegistrationError("invalid_client_metadata", "The body is not valid JSON");
  }
}

function registrationEndpoint<Context>(handler: (request: ProtocolRequest, context: Context) => Promise<Answer>) {
  return routeHandler<Context>(async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      if (error instanceof RegistrationError) return errorAnswer(error);
      console.error(`${request.method} ${new URL(request.url).pathname} failed:`, error);
      if (isDatabaseUnavailable(error)) return temporarilyUnavailableResponse();
      return jsonAnswer({ error: "server_error", error_description: "The server could not complete the request" }, { status: 500 });
    }
  });
}

export const registerEndpoint = registrationEndpoint(async (request) => {
  const body = await jsonBody(request);
  const registered = await registerDynamicClient(body, { initialAccessToken: bearerTokenOf(request.headers), ip: clientIp(request.headers) });
  return jsonAnswer(registered, { status: 201 });
});

type ClientContext = { params: Promise<{ clientId: string }> };

export const readRegistrationEndpoint = registrationEndpoint<ClientContext>(async (request, context) =>
  jsonAnswer(await readRegistration((await context.params).clientId, bearerTokenOf(request.headers))),
);

export const updateRegistrationEndpoint = registrationEndpoint<ClientContext>(async (request, context) =>
  jsonAnswer(await updateRegistration((await context.params).clientId, bearerTokenOf(request.headers), await jsonBody(request))),
);

export const deleteRegistrationEndpoint = registrationEndpoint<ClientContext>(async (request, context) => {
  await deleteRegistration((await context.params).clientId, bearerTokenOf(request.headers));
  return { status: 204, headers: { "Cache-Control": "no-store" }, body: "" };
});
