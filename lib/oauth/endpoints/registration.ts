/**
 * The registration endpoint (RFC 7591) and the client configuration endpoint
 * (RFC 7592), as plain handlers: JSON in, JSON out, never cached.
 */
import { clientIp } from "@/lib/auth/client-ip";
import { bearerTokenOf } from "@/lib/oauth/bearer";
import { endpoint, readJsonObject } from "@/lib/oauth/endpoint";
import { OAuthError } from "@/lib/oauth/errors";
import { deleteRegistration, readRegistration, registerDynamicClient, updateRegistration } from "@/lib/oauth/registration";
import { jsonAnswer, type ProtocolRequest } from "@/lib/protocol-http";

function metadataOf(request: ProtocolRequest): Promise<Record<string, unknown>> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json"))
    throw new OAuthError("invalid_client_metadata", "Send the metadata as application/json");
  return readJsonObject(request, "invalid_client_metadata");
}

export const registerEndpoint = endpoint(async (request) => {
  const body = await metadataOf(request);
  const registered = await registerDynamicClient(body, {
    initialAccessToken: bearerTokenOf(request.headers),
    ip: clientIp(request.headers),
  });
  return jsonAnswer(registered, { status: 201 });
});

type ClientContext = { params: Promise<{ clientId: string }> };

export const readRegistrationEndpoint = endpoint<ClientContext>(async (request, context) =>
  jsonAnswer(await readRegistration((await context.params).clientId, bearerTokenOf(request.headers))),
);

export const updateRegistrationEndpoint = endpoint<ClientContext>(async (request, context) =>
  jsonAnswer(await updateRegistration((await context.params).clientId, bearerTokenOf(request.headers), await metadataOf(request))),
);

export const deleteRegistrationEndpoint = endpoint<ClientContext>(async (request, context) => {
  await deleteRegistration((await context.params).clientId, bearerTokenOf(request.headers));
  return { status: 204, headers: { "Cache-Control": "no-store" }, body: "" };
});
