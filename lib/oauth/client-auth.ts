/**
 * Client authentication at the token, revocation and introspection endpoints
 * (RFC 6749 §2.3.1, RFC 7523): client_secret_basic, client_secret_post,
 * private_key_jwt, or none for public clients. Exactly one method per
 * request, and one the app registered (token_endpoint_auth_method): a
 * confidential app's default, `client_secret`, takes its secret by Basic or in
 * the body, as Keycloak and Auth0 do, since client libraries differ on which
 * they send; an owner may pin one. Any failure is invalid_client (401, with
 * WWW-Authenticate: Basic when Basic was tried).
 */
import { hashSecret, secretMatches } from "@/lib/crypto";
import type { Client } from "@/lib/generated/prisma/client";
import { OAuthError, type OwnerReason } from "@/lib/oauth/errors";
import { formatTime } from "@/lib/format";
import { assertedClientId, assertionProblem, JWT_BEARER_ASSERTION } from "@/lib/oauth/client-assertion";
import { findClientForAuthentication } from "@/lib/oauth/store/clients";
import type { HeaderReader } from "@/lib/protocol-http";
import { endpointUrl, type EndpointName } from "@/lib/oauth/endpoint-paths";

/** The methods a request can use (RFC 7591's names, as discovery lists them). */
export const AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];
/** A confidential app's default: its secret by HTTP Basic or in the body, one of them per request. */
export const EITHER_SECRET_METHOD = "client_secret";
/** What an app can register: one method pinned, or the secret either way. */
export const REGISTERED_AUTH_METHODS = [EITHER_SECRET_METHOD, ...AUTH_METHODS] as const;
export type RegisteredAuthMethod = (typeof REGISTERED_AUTH_METHODS)[number];
export type AuthenticatedClient = { client: Client; method: AuthMethod };

/** Whether an app registered with `registered` may authenticate as `presented` did. */
export function acceptsAuthMethod(registered: string, presented: AuthMethod): boolean {
  if (registered === EITHER_SECRET_METHOD) return presented === "client_secret_basic" || presented === "client_secret_post";
  return registered === presented;
}

/** The registered method under RFC 7591's names: the secret either way is reported as client_secret_basic, the RFC's default. */
export function rfcAuthMethod(registered: string): AuthMethod {
  return registered === EITHER_SECRET_METHOD ? "client_secret_basic" : (registered as AuthMethod);
}

const METHOD_WORDS: Record<AuthMethod, string> = {
  client_secret_basic: "the secret in an Authorization: Basic header",
  client_secret_post: "the secret in the body",
  private_key_jwt: "a signed client assertion",
  none: "no secret",
};

const ACCEPTED_WORDS: Record<RegisteredAuthMethod, string> = {
  client_secret: "the secret by Basic or in the body",
  client_secret_basic: "Basic only",
  client_secret_post: "the secret in the body only",
  private_key_jwt: "a signed client assertion only",
  none: "no secret (it is public)",
};

/** For the app's owner: how the request authenticated, and what the app accepts ("sent in the body; this app accepts Basic only"). */
function wrongMethodReason(registered: string, presented: AuthMethod): string {
  return `sent ${METHOD_WORDS[presented]}; this app accepts ${ACCEPTED_WORDS[registered as RegisteredAuthMethod] ?? registered}`;
}

type Presented = { clientId: string; secret?: string; assertion?: string; method: AuthMethod };

/** Why a secret did not match, for the app's owner: an old secret past its grace period, or when the secret last changed. */
async function secretMismatchReason(client: Client, secret: string): Promise<string> {
  if (!client.secretHash) return "the app has no secret (it is public): send no secret";
  if (client.previousSecretHash && client.previousSecretExpiresAt && secretMatches(secret, client.previousSecretHash)) {
    return `the secret is the previous one, which stopped working at ${formatTime(client.previousSecretExpiresAt)} after the rotation`;
  }
  const rotated = client.secretRotatedAt;
  return rotated
    ? `the secret does not match; the secret was rotated at ${formatTime(rotated)}, and an older one is not accepted`
    : "the secret does not match the app's secret";
}

export class InvalidClient extends OAuthError {
  constructor(
    description: string,
    readonly usedBasic: boolean,
    reason?: OwnerReason,
  ) {
    super("invalid_client", description, { reason });
  }
}

/** RFC 6749 §2.3.1: id and secret are form-url-encoded before being put in the Basic header. */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}

function parseBasic(header: string): Presented {
  const encoded = header.slice("basic ".length).trim();
  let decoded: string;
  try {
    decoded = Buffer.from(encoded, "base64").toString("utf8");
  } catch {
    throw new InvalidClient("Malformed Basic credentials", true);
  }
  const colon = decoded.indexOf(":");
  if (colon < 1) throw new InvalidClient("Malformed Basic credentials", true);
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)), method: "client_secret_basic" };
  } catch {
    throw new InvalidClient("Malformed Basic credentials", true);
  }
}

/** Reads which client the request says it is, and how it proves it. */
export function presentedCredentials(headers: HeaderReader, params: ReadonlyMap<string, string>): Presented {
  const authorization = headers.get("authorization");
  const bodyId = params.get("client_id");
  const bodySecret = params.get("client_secret");
  const assertion = params.get("client_assertion");
  const assertionType = params.get("client_assertion_type");
  const basicHeader = authorization !== null && /^basic /i.test(authorization) ? authorization : null;
  if (assertion !== undefined || assertionType !== undefined) {
    if (basicHeader || bodySecret !== undefined)
      throw new OAuthError("invalid_request", "Use one client authentication method, not several");
    if (assertionType !== JWT_BEARER_ASSERTION || assertion === undefined)
      throw new InvalidClient(`client_assertion_type must be ${JWT_BEARER_ASSERTION}, with client_assertion`, false);
    // RFC 7523 §3: iss and sub are the client; client_id, when sent, must agree.
    const clientId = assertedClientId(assertion);
    if (clientId === null || (bodyId !== undefined && bodyId !== clientId))
      throw new InvalidClient("The client assertion does not name this client", false);
    return { clientId, assertion, method: "private_key_jwt" };
  }
  if (basicHeader) {
    if (bodySecret !== undefined) throw new OAuthError("invalid_request", "Use one client authentication method, not several");
    const basic = parseBasic(basicHeader);
    if (bodyId !== undefined && bodyId !== basic.clientId) throw new InvalidClient("client_id does not match the credentials", true);
    return basic;
  }
  if (!bodyId) throw new InvalidClient("Client authentication is required", false);
  if (bodySecret !== undefined) return { clientId: bodyId, secret: bodySecret, method: "client_secret_post" };
  return { clientId: bodyId, method: "none" };
}

/** The app a request says it comes from, however it authenticates (or fails to); undefined when it names none. Never throws. */
export function claimedClientId(headers: HeaderReader, params: ReadonlyMap<string, string>): string | undefined {
  try {
    return presentedCredentials(headers, params).clientId;
  } catch {
    return params.get("client_id");
  }
}

// Compared when the client does not exist, so an unknown id takes as long as a wrong secret.
let unknownClientHash: string | undefined;

/** `endpoint`: the endpoint called, which a client assertion may name as its audience. */
export async function authenticateClient(
  headers: HeaderReader,
  params: ReadonlyMap<string, string>,
  endpoint: EndpointName,
): Promise<AuthenticatedClient> {
  const presented = presentedCredentials(headers, params);
  const usedBasic = presented.method === "client_secret_basic";
  const client = await findClientForAuthentication(presented.clientId);

  if (presented.assertion !== undefined) {
    if (client?.tokenEndpointAuthMethod !== "private_key_jwt") throw new InvalidClient("Client authentication failed", false);
    const problem = await assertionProblem(presented.assertion, client, endpointUrl(endpoint));
    if (problem) throw new InvalidClient(`Client authentication failed: ${problem}`, false);
  } else if (presented.secret !== undefined) {
    const matches = secretMatches(presented.secret, client?.secretHash ?? (unknownClientHash ??= hashSecret("no such client")));
    // During a rotation's grace period the previous secret works too.
    const matchesPrevious =
      !matches &&
      client?.previousSecretHash != null &&
      client.previousSecretExpiresAt != null &&
      client.previousSecretExpiresAt > new Date() &&
      secretMatches(presented.secret, client.previousSecretHash);
    if (!client?.secretHash || !(matches || matchesPrevious))
      throw new InvalidClient(
        "Client authentication failed",
        usedBasic,
        client ? () => secretMismatchReason(client, presented.secret!) : undefined,
      );
  } else if (!client || client.isConfidential) {
    throw new InvalidClient(
      "Client authentication failed",
      usedBasic,
      client ? "no client secret was sent, and this app is confidential" : undefined,
    );
  }
  if (client.disabledAt) throw new InvalidClient("Client authentication failed", usedBasic, "the app is disabled");
  // A registered method only (RFC 7591 token_endpoint_auth_method): a secret that works is still refused by a route the owner ruled out.
  if (!acceptsAuthMethod(client.tokenEndpointAuthMethod, presented.method)) {
    throw new InvalidClient(
      `This app authenticates with ${client.tokenEndpointAuthMethod}, not ${presented.method}`,
      usedBasic,
      wrongMethodReason(client.tokenEndpointAuthMethod, presented.method),
    );
  }
  return { client, method: presented.method };
}
