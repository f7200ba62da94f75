/**
 * Dynamic client registration (RFC 7591) and its management (RFC 7592). What
 * an app registers passes the same rules as the dashboard's (newClientSchema);
 * what differs is who may register: REGISTRATION_POLICY is off, token (an
 * initial access token an admin created) or open (public apps only, https or
 * loopback redirect URIs, rate limited per address: what MCP clients need).
 */
import { z } from "zod";
import { takeAttempt } from "@/lib/auth/rate-limit";
import { getConfig } from "@/lib/config";
import { hashSecret, randomToken, secretMatches } from "@/lib/crypto";
import type { Client } from "@/lib/generated/prisma/client";
import { AUTH_METHODS, EITHER_SECRET_METHOD, rfcAuthMethod, type RegisteredAuthMethod } from "@/lib/oauth/client-auth";
import { checkNewClient, GRANT_TYPES, deleteClient, registerClient, updateClient, type NewClient, grantTypesOf } from "@/lib/oauth/clients";
import { SIGNING_ALGS } from "@/lib/oauth/keys";
import { parseScope, scopeChoices } from "@/lib/oauth/scopes";
import { isLoopbackRedirect } from "@/lib/oauth/redirect-uri";
import { takeInitialAccessToken } from "@/lib/oauth/store/initial-access-tokens";
import { OAuthError, ValidationError } from "@/lib/oauth/errors";
import { endpointUrl } from "@/lib/oauth/endpoint-paths";
import { findClient } from "@/lib/oauth/store/clients";

/** The metadata an app may send (RFC 7591 §2, OpenID Connect Registration); other members are ignored. */
const metadataSchema = z.object({
  redirect_uris: z.array(z.string()).max(20).default([]),
  token_endpoint_auth_method: z.enum(AUTH_METHODS).optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
  client_name: z.string().optional(),
  logo_uri: z.string().optional(),
  scope: z.string().optional(),
  application_type: z.enum(["web", "native"]).optional(),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).optional(),
  jwks_uri: z.string().optional(),
  post_logout_redirect_uris: z.array(z.string()).max(20).optional(),
  backchannel_logout_uri: z.string().optional(),
  id_token_signed_response_alg: z.enum(SIGNING_ALGS).optional(),
  require_pushed_authorization_requests: z.boolean().optional(),
  dpop_bound_access_tokens: z.boolean().optional(),
});

export type ClientMetadata = z.input<typeof metadataSchema>;

function metadataProblem(message: string): OAuthError {
  return new OAuthError("invalid_client_metadata", message);
}

/**
 * The metadata as the dashboard's rules take it, or the RFC 7591 error. An
 * app that names no `scope` may ask for any scope an API defines when it
 * registers (MCP clients learn the scopes from the server, after
 * registering); each person still consents to what it asks.
 */
async function toNewClient(body: unknown, open: boolean): Promise<NewClient> {
  const parsed = metadataSchema.safeParse(body);
  if (!parsed.success) throw metadataProblem(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
  const metadata = parsed.data;
  if (metadata.response_types?.some((type) => type !== "code")) throw metadataProblem("Only the response type code is supported");
  const grantTypes = metadata.grant_types ?? ["authorization_code"];
  const unsupported = grantTypes.find((grant) => !(GRANT_TYPES as readonly string[]).includes(grant));
  if (unsupported) throw metadataProblem(`The grant type ${unsupported} is not supported`);
  // Open registration is for public clients: an app nobody vouched for gets no credentials to keep.
  // Nothing asked: the dashboard's forgiving default, the secret by Basic or in the body (reported as client_secret_basic, RFC 7591 §2).
  const method = metadata.token_endpoint_auth_method ?? (open ? "none" : EITHER_SECRET_METHOD);
  if (open && method !== "none")
    throw metadataProblem("Without an initial access token only public clients (token_endpoint_auth_method none) may register");
  if (open && grantTypes.includes("client_credentials"))
    throw metadataProblem("Without an initial access token the client credentials grant is not available");
  if (open) {
    const local = metadata.redirect_uris.find(
      (uri) => !uri.startsWith("https://") && !(URL.canParse(uri) && isLoopbackRedirect(new URL(uri))),
    );
    if (local)
      throw new OAuthError("invalid_redirect_uri", `${local}: without an initial access token, redirect URIs must be https or loopback`);
  }
  return {
    name: metadata.client_name?.trim() || "Unnamed app",
    logoUrl: metadata.logo_uri,
    isConfidential: method !== "none",
    tokenEndpointAuthMethod: method,
    grantTypes: grantTypes as NewClient["grantTypes"],
    scopes: metadata.scope !== undefined ? parseScope(metadata.scope) : (await scopeChoices()).map((choice) => choice.name),
    applicationType: metadata.application_type ?? "web",
    redirectUris: metadata.redirect_uris,
    jwks: metadata.jwks ? JSON.stringify(metadata.jwks) : undefined,
    jwksUri: metadata.jwks_uri,
    postLogoutRedirectUris: metadata.post_logout_redirect_uris ?? [],
    backchannelLogoutUri: metadata.backchannel_logout_uri,
    idTokenSignedResponseAlg: metadata.id_token_signed_response_alg ?? null,
    requirePushedRequests: metadata.require_pushed_authorization_requests ?? false,
    requireDpop: metadata.dpop_bound_access_tokens ?? false,
  };
}

/** The dashboard's validation message, as RFC 7591's error: a redirect URI's own code, else invalid_client_metadata. */
function asRegistrationError(error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  const redirect = error.fieldErrors.redirectUris ?? error.fieldErrors.redirectUri ?? error.fieldErrors.postLogoutRedirectUris;
  return redirect ? new OAuthError("invalid_redirect_uri", redirect) : metadataProblem(error.issues.join(" "));
}

/** RFC 7591 §3.2.1 / RFC 7592 §3: the registered metadata, as the app reads it back. */
export function clientInformation(
  client: Client,
  redirectUris: string[],
  extra: { clientSecret?: string; registrationAccessToken?: string } = {},
) {
  return {
    client_id: client.id,
    ...(extra.clientSecret ? { client_secret: extra.clientSecret, client_secret_expires_at: 0 } : {}),
    client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
    ...(extra.registrationAccessToken ? { registration_access_token: extra.registrationAccessToken } : {}),
    registration_client_uri: `${endpointUrl("registration")}/${encodeURIComponent(client.id)}`,
    client_name: client.name,
    ...(client.logoUrl ? { logo_uri: client.logoUrl } : {}),
    redirect_uris: redirectUris,
    token_endpoint_auth_method: rfcAuthMethod(client.tokenEndpointAuthMethod),
    grant_types: grantTypesOf(client),
    response_types: ["code"],
    scope: client.scopes,
    application_type: client.applicationType,
    ...(client.jwks ? { jwks: JSON.parse(client.jwks) as unknown } : {}),
    ...(client.jwksUri ? { jwks_uri: client.jwksUri } : {}),
    ...(client.postLogoutRedirectUris ? { post_logout_redirect_uris: client.postLogoutRedirectUris.split(" ") } : {}),
    ...(client.backchannelLogoutUri ? { backchannel_logout_uri: client.backchannelLogoutUri } : {}),
    ...(client.idTokenSignedResponseAlg ? { id_token_signed_response_alg: client.idTokenSignedResponseAlg } : {}),
    require_pushed_authorization_requests: client.requirePushedRequests,
    dpop_bound_access_tokens: client.requireDpop,
  };
}

/**
 * POST /oauth/register. `initialAccessToken` is the Bearer token sent, if
 * any: required under the token policy, and taken (one use) only once the
 * metadata is valid.
 */
export async function registerDynamicClient(body: unknown, context: { initialAccessToken: string | null; ip: string }) {
  const { policy, maxPerIp, windowSeconds } = getConfig().registration;
  if (policy === "off") throw new OAuthError("not_found", "Dynamic client registration is off");
  const open = policy === "open" && context.initialAccessToken === null;
  if (!open && context.initialAccessToken === null)
    throw new OAuthError("invalid_token", "An initial access token is required (Authorization: Bearer)");
  const input = await toNewClient(body, open);
  // Valid first: a refused registration takes no use of the token and no attempt of the address.
  await checkNewClient(input).catch((error: unknown) => {
    throw asRegistrationError(error);
  });
  if (open) {
    const attempt = await takeAttempt(`registration-ip:${context.ip}`, maxPerIp, windowSeconds);
    if (!attempt.allowed)
      throw new OAuthError("too_many_requests", "Too many registrations from this address; try again later", {
        retryAfterSeconds: attempt.retryAfterSeconds,
      });
  } else if (!(await takeInitialAccessToken(context.initialAccessToken!))) {
    throw new OAuthError("invalid_token", "The initial access token is invalid, expired or used up");
  }
  const registrationAccessToken = randomToken(32);
  try {
    const registered = await registerClient(input, {
      dynamic: { via: open ? "open" : "token", registrationTokenHash: hashSecret(registrationAccessToken) },
    });
    return clientInformation(registered.client, registered.redirectUris, {
      clientSecret: registered.clientSecret,
      registrationAccessToken,
    });
  } catch (error) {
    throw asRegistrationError(error);
  }
}

/** The dynamically registered client a registration access token manages (RFC 7592 §3), or a 401. */
async function managedClient(clientId: string, registrationAccessToken: string | null) {
  const client = await findClient(clientId);
  if (!client?.registrationTokenHash || !registrationAccessToken || !secretMatches(registrationAccessToken, client.registrationTokenHash)) {
    throw new OAuthError("invalid_token", "The registration access token is invalid for this client");
  }
  return client;
}

export async function readRegistration(clientId: string, registrationAccessToken: string | null) {
  const client = await managedClient(clientId, registrationAccessToken);
  return clientInformation(
    client,
    client.redirectUris.map(({ uri }) => uri),
  );
}

/** RFC 7592 §2.2: the metadata sent replaces what was registered (the type and method cannot change). */
export async function updateRegistration(clientId: string, registrationAccessToken: string | null, body: unknown) {
  const client = await managedClient(clientId, registrationAccessToken);
  if (typeof body === "object" && body !== null && (body as { client_id?: unknown }).client_id !== clientId)
    throw metadataProblem("client_id must be the client's own");
  const input = await toNewClient(body, client.registeredVia === "open");
  // Compared by RFC 7591's names: the forgiving default, read back as client_secret_basic, may be sent back as such and stays as it is.
  if (rfcAuthMethod(input.tokenEndpointAuthMethod!) !== rfcAuthMethod(client.tokenEndpointAuthMethod))
    throw metadataProblem("token_endpoint_auth_method cannot change; register a new client");
  try {
    await updateClient(
      client,
      { ...input, isConfidential: client.isConfidential, tokenEndpointAuthMethod: client.tokenEndpointAuthMethod as RegisteredAuthMethod },
      client.ownerId ?? client.id,
    );
  } catch (error) {
    throw asRegistrationError(error);
  }
  return readRegistration(clientId, registrationAccessToken);
}

export async function deleteRegistration(clientId: string, registrationAccessToken: string | null): Promise<void> {
  const client = await managedClient(clientId, registrationAccessToken);
  await deleteClient(client, client.ownerId ?? client.id);
}
