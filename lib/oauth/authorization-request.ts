/**
 * Validation of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3,
 * OpenID Connect Core §3.1.2.1, RFC 8707 §2). Pure: the caller loads the
 * client and the policy.
 *
 * The order matters (RFC 6749 §4.1.2.1): until the client and its redirect URI
 * are verified, a problem is shown to the person on the portal and never
 * redirected; every later problem is redirected to the client as an error.
 */
import { ACR_MFA, ACR_SINGLE_FACTOR } from "@/lib/oauth/acr";
import type { ResourceApi } from "@/lib/oauth/apis";
import { isStorable } from "@/lib/storable";
import { OAuthError } from "@/lib/oauth/errors";
import { isValidCodeChallenge, type CodeChallengeMethod } from "@/lib/oauth/pkce";
import { isPlaygroundRedirect } from "@/lib/oauth/playground";
import { matchRedirectUri, type ApplicationType } from "@/lib/oauth/redirect-uri";
import { isValidScopeToken, parseScope } from "@/lib/oauth/scopes";
import { allowsGrant } from "@/lib/oauth/clients";
import { requestedApiIdentifier } from "@/lib/oauth/resource";

const KNOWN_PARAMS = [
  "response_type",
  "client_id",
  "redirect_uri",
  "scope",
  "state",
  "code_challenge",
  "code_challenge_method",
  "nonce",
  "prompt",
  "max_age",
  "acr_values",
  "audience",
  "resource",
  "login_hint",
  "response_mode",
  "request",
  "request_uri",
] as const;

export type Prompt = "none" | "login" | "consent";
const PROMPTS = new Set<string>(["none", "login", "consent"]);

export type AuthorizationClient = {
  id: string;
  name: string;
  logoUrl: string | null;
  ownerId: string | null;
  disabledAt: Date | null;
  isConfidential: boolean;
  isFirstParty: boolean;
  allowPlainPkce: boolean;
  requirePkce: boolean;
  requireOfflineAccess: boolean;
  /** "web" or "native". */
  applicationType: string;
  /** "token" or "open" for apps that registered themselves (RFC 7591); null otherwise. */
  registeredVia: string | null;
  /** RFC 9126: only pushed requests are accepted. */
  requirePushedRequests: boolean;
  /** Space-separated, as stored. */
  grantTypes: string;
  /** Space-separated, as stored. */
  scopes: string;
  /** Any scope an API offers people may be asked, not only `scopes`. */
  anyUserScope: boolean;
  redirectUris: string[];
};

export type AuthorizationPolicy = {
  /** REQUIRE_PKCE: PKCE for every app, whatever its own setting. */
  requirePkce: boolean;
  /** The API the request names (by identifier), looked up beforehand, or null when it is not registered. */
  namedApi: ResourceApi | null;
  /** For a request that names none: the API its scopes point to (defaultApiFor), or why none can be chosen; null when one is named. */
  defaultApi: ResourceApi | OAuthError | null;
  /** The parameters came through the PAR endpoint (RFC 9126), from the authenticated app. */
  pushed: boolean;
};

export type AuthorizationRequest = {
  client: AuthorizationClient;
  redirectUri: string;
  /** Whether redirect_uri was sent, so the token request must repeat it (RFC 6749 §4.1.3). */
  redirectUriSent: boolean;
  scopes: string[];
  state?: string;
  codeChallenge?: string;
  codeChallengeMethod?: CodeChallengeMethod;
  nonce?: string;
  /** The API the token will be for. */
  api: ResourceApi;
  prompt: Prompt[];
  maxAge?: number;
  loginHint?: string;
  /** acr_values asked for a second factor. */
  requireMfa: boolean;
};

/** Problems shown on the portal's error page, because the redirect URI cannot be trusted. */
export type AuthorizationProblem =
  | { kind: "missing_client_id" }
  | { kind: "duplicate_client_id" }
  | { kind: "unknown_client"; clientId: string }
  | { kind: "client_disabled"; client: AuthorizationClient }
  | { kind: "missing_redirect_uri"; client: AuthorizationClient }
  | { kind: "duplicate_redirect_uri"; client: AuthorizationClient }
  | { kind: "redirect_uri_mismatch"; client: AuthorizationClient; requested: string }
  /** The playground's redirect URI, used by someone other than the app's owner. */
  | { kind: "playground_not_owner"; client: AuthorizationClient };

export type AuthorizationValidation =
  | { outcome: "valid"; request: AuthorizationRequest }
  | { outcome: "error_page"; problem: AuthorizationProblem }
  | { outcome: "error_redirect"; redirectUri: string; state?: string; error: OAuthError };

/** All values of a parameter, an empty value counting as absent (RFC 6749 §3.1). */
function valuesOf(params: URLSearchParams, name: string): string[] {
  return params.getAll(name).filter((value) => value !== "");
}

function single(params: URLSearchParams, name: string): string | undefined {
  return valuesOf(params, name)[0];
}

/** The client_id to look up, or the problem with it. */
export function clientIdOf(params: URLSearchParams): { clientId: string } | { problem: AuthorizationProblem } {
  const values = valuesOf(params, "client_id");
  if (values.length === 0) return { problem: { kind: "missing_client_id" } };
  if (values.length > 1) return { problem: { kind: "duplicate_client_id" } };
  return { clientId: values[0]! };
}

export function validateAuthorizationRequest(
  params: URLSearchParams,
  client: AuthorizationClient | null,
  policy: AuthorizationPolicy,
): AuthorizationValidation {
  const id = clientIdOf(params);
  if ("problem" in id) return { outcome: "error_page", problem: id.problem };
  if (!client) return { outcome: "error_page", problem: { kind: "unknown_client", clientId: id.clientId } };
  if (client.disabledAt) return { outcome: "error_page", problem: { kind: "client_disabled", client } };

  const requestedUris = valuesOf(params, "redirect_uri");
  if (requestedUris.length > 1) return { outcome: "error_page", problem: { kind: "duplicate_redirect_uri", client } };
  const requested = requestedUris[0];
  let redirectUri: string;
  if (requested === undefined) {
    // RFC 6749 §3.1.2.3: only a client with a single registered URI may leave it out.
    if (client.redirectUris.length !== 1) return { outcome: "error_page", problem: { kind: "missing_redirect_uri", client } };
    redirectUri = client.redirectUris[0]!;
  } else if (isPlaygroundRedirect(client.id, requested)) {
    // The owner's playground; who may use it is checked once the person is known (lib/oauth/authorize.ts).
    redirectUri = requested;
  } else {
    const matched = matchRedirectUri(requested, client.redirectUris, client.applicationType as ApplicationType);
    if (matched === null) return { outcome: "error_page", problem: { kind: "redirect_uri_mismatch", client, requested } };
    redirectUri = matched;
  }

  const state = single(params, "state");
  const fail = (error: OAuthError): AuthorizationValidation => ({ outcome: "error_redirect", redirectUri, state, error });
  try {
    return {
      outcome: "valid",
      request: { ...readRequest(params, client, policy), client, redirectUri, redirectUriSent: requested !== undefined, state },
    };
  } catch (error) {
    if (error instanceof OAuthError) return fail(error);
    throw error;
  }
}

type RequestDetails = Omit<AuthorizationRequest, "client" | "redirectUri" | "redirectUriSent" | "state">;

/** Everything checked once the redirect URI is trusted; throws the error to redirect. */
function readRequest(params: URLSearchParams, client: AuthorizationClient, policy: AuthorizationPolicy): RequestDetails {
  if (single(params, "request")) throw new OAuthError("request_not_supported", "Request objects are not supported");
  if (single(params, "request_uri")) throw new OAuthError("request_uri_not_supported", "request_uri is not supported");

  // Kept server-side while the person signs in: a value the database cannot hold is refused here.
  if ([...params].some(([name, value]) => !isStorable(name) || !isStorable(value)))
    throw new OAuthError("invalid_request", "A parameter contains a NUL character");
  // RFC 6749 §3.1: request parameters must not be included more than once.
  const duplicated = KNOWN_PARAMS.find((name) => name !== "resource" && valuesOf(params, name).length > 1);
  if (duplicated) throw new OAuthError("invalid_request", `The ${duplicated} parameter was sent more than once`);

  if (client.requirePushedRequests && !policy.pushed)
    throw new OAuthError("invalid_request", "This app must push its authorization requests first (PAR, RFC 9126)");
  const responseType = single(params, "response_type");
  if (!responseType) throw new OAuthError("invalid_request", "response_type is required");
  if (responseType !== "code") throw new OAuthError("unsupported_response_type", "Only response_type=code is supported");
  if (!allowsGrant(client, "authorization_code")) {
    throw new OAuthError("unauthorized_client", "This client is not allowed the authorization code grant");
  }
  const responseMode = single(params, "response_mode");
  if (responseMode !== undefined && responseMode !== "query")
    throw new OAuthError("invalid_request", "Only response_mode=query is supported");

  const api = readApi(params, policy);
  return {
    scopes: readScopes(single(params, "scope"), client, api),
    ...readPkce(params, client, policy),
    nonce: single(params, "nonce"),
    prompt: readPrompt(single(params, "prompt")),
    maxAge: readMaxAge(single(params, "max_age")),
    requireMfa: asksForSecondFactor(single(params, "acr_values")),
    api,
    loginHint: single(params, "login_hint"),
  };
}

/**
 * The scopes a request for a person's tokens names: each one the app may
 * request, that the API defines (or an identity scope), and not for client
 * credentials only. Authorization and device requests both read them so.
 */
export function readScopes(
  value: string | undefined,
  client: Pick<AuthorizationClient, "scopes" | "anyUserScope">,
  api: ResourceApi,
): string[] {
  const scopes = parseScope(value);
  const allowed = new Set(parseScope(client.scopes));
  for (const scope of scopes) {
    if (!isValidScopeToken(scope)) throw new OAuthError("invalid_scope", "The scope parameter is malformed");
    const defined = api.scopes.get(scope);
    if (!defined) throw new OAuthError("invalid_scope", `The API ${api.identifier} does not define the scope ${scope}`);
    if (!client.anyUserScope && !allowed.has(scope)) throw new OAuthError("invalid_scope", `The client may not request the scope ${scope}`);
    if (defined.tokenKind === "client") throw new OAuthError("invalid_scope", `The scope ${scope} is only for client credentials`);
  }
  return scopes;
}

function readPkce(params: URLSearchParams, client: AuthorizationClient, policy: AuthorizationPolicy) {
  const challenge = single(params, "code_challenge");
  const method = single(params, "code_challenge_method");
  if (challenge === undefined) {
    if (method !== undefined) throw new OAuthError("invalid_request", "code_challenge_method was sent without code_challenge");
    // RFC 9700 §2.1.1: PKCE for public clients always; for a confidential one when it or the portal requires it.
    if (!client.isConfidential || client.requirePkce || policy.requirePkce)
      throw new OAuthError("invalid_request", "code_challenge is required (PKCE with S256)");
    return {};
  }
  // RFC 7636 §4.3: no method means plain.
  const effectiveMethod = method ?? "plain";
  if (effectiveMethod !== "S256" && effectiveMethod !== "plain") {
    throw new OAuthError("invalid_request", "code_challenge_method must be S256");
  }
  if (effectiveMethod === "plain" && !client.allowPlainPkce) {
    throw new OAuthError("invalid_request", "code_challenge_method must be S256 for this client");
  }
  if (!isValidCodeChallenge(challenge, effectiveMethod)) throw new OAuthError("invalid_request", "code_challenge is malformed");
  return { codeChallenge: challenge, codeChallengeMethod: effectiveMethod as CodeChallengeMethod };
}

function readPrompt(value: string | undefined): Prompt[] {
  const prompts = parseScope(value);
  for (const prompt of prompts) {
    if (!PROMPTS.has(prompt)) throw new OAuthError("invalid_request", `Unsupported prompt value ${prompt}`);
  }
  // OpenID Connect Core §3.1.2.1: none cannot be combined with another value.
  if (prompts.includes("none") && prompts.length > 1)
    throw new OAuthError("invalid_request", "prompt=none cannot be combined with other values");
  return prompts as Prompt[];
}

function readMaxAge(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new OAuthError("invalid_request", "max_age must be a whole number of seconds");
  return Number(value);
}

/**
 * OpenID Connect Core §3.1.2.1: acr_values lists the acr the app prefers.
 * A second factor is asked for when the list names the multi-factor acr and
 * not the single-factor one (which would let the person do without).
 */
function asksForSecondFactor(value: string | undefined): boolean {
  const values = parseScope(value);
  return values.includes(ACR_MFA) && !values.includes(ACR_SINGLE_FACTOR);
}

/** The API named by RFC 8707 `resource` or Auth0's `audience` (which must agree), as looked up by the caller. */
export function namedApiIdentifier(params: URLSearchParams): string | undefined {
  return valuesOf(params, "resource")[0] ?? single(params, "audience");
}

function readApi(params: URLSearchParams, policy: AuthorizationPolicy): ResourceApi {
  const resources = valuesOf(params, "resource");
  if (resources.length > 1) throw new OAuthError("invalid_target", "Only one resource can be requested at a time");
  if (requestedApiIdentifier(resources[0], single(params, "audience")) === undefined) {
    if (policy.defaultApi instanceof OAuthError) throw policy.defaultApi;
    if (policy.defaultApi) return policy.defaultApi;
  }
  if (!policy.namedApi) throw new OAuthError("invalid_target", "The requested resource is not a registered API");
  return policy.namedApi;
}
