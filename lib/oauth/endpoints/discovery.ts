/**
 * Metadata (RFC 8414, OpenID Connect Discovery 1.0) and the JWKS. Both
 * documents list exactly what the portal supports; `issuer` is ISSUER_URL.
 */
import { ACR_MFA, ACR_SINGLE_FACTOR } from "@/lib/oauth/acr";
import { getConfig } from "@/lib/config";
import { AUTH_METHODS } from "@/lib/oauth/client-auth";
import { GRANT_TYPES } from "@/lib/oauth/clients";
import { ASSERTION_ALGS } from "@/lib/oauth/client-assertion";
import { DPOP_ALGS } from "@/lib/oauth/dpop";
import { publicJwks, SIGNING_ALGS } from "@/lib/oauth/keys";
import { anyClientAllowsPlainPkce } from "@/lib/oauth/store/clients";
import { corsHeaders } from "@/lib/oauth/cors";
import { corsPreflight } from "@/lib/oauth/endpoint";
import { findResourceApi, portalApiAudience } from "@/lib/oauth/apis";
import { endpointUrl } from "@/lib/oauth/endpoint-paths";

export async function serverMetadata(): Promise<Record<string, unknown>> {
  const { issuer, signingAlg } = getConfig();
  const plainPkceAllowed = await anyClientAllowsPlainPkce();
  // The portal's own scopes; other APIs' scopes are theirs to document.
  const portal = await findResourceApi(portalApiAudience());
  return {
    issuer,
    authorization_endpoint: endpointUrl("authorization"),
    token_endpoint: endpointUrl("token"),
    userinfo_endpoint: endpointUrl("userinfo"),
    revocation_endpoint: endpointUrl("revocation"),
    introspection_endpoint: endpointUrl("introspection"),
    end_session_endpoint: endpointUrl("end_session"),
    pushed_authorization_request_endpoint: endpointUrl("pushed_authorization_request"),
    device_authorization_endpoint: endpointUrl("device_authorization"),
    // Apps may each require it (RFC 9126 §6); the portal does not for all.
    require_pushed_authorization_requests: false,
    ...(getConfig().registration.policy !== "off" ? { registration_endpoint: endpointUrl("registration") } : {}),
    jwks_uri: endpointUrl("jwks"),
    scopes_supported: [...(portal?.scopes.keys() ?? [])],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: [...GRANT_TYPES],
    subject_types_supported: ["public"],
    // SIGNING_ALG by default, or the app's id_token_signed_response_alg; RS256 is always among them.
    id_token_signing_alg_values_supported: [...new Set([signingAlg, ...SIGNING_ALGS])],
    token_endpoint_auth_methods_supported: [...AUTH_METHODS],
    token_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    revocation_endpoint_auth_methods_supported: [...AUTH_METHODS],
    revocation_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    introspection_endpoint_auth_methods_supported: AUTH_METHODS.filter((method) => method !== "none"),
    introspection_endpoint_auth_signing_alg_values_supported: ASSERTION_ALGS,
    // plain only while some app may use it (RFC 7636 §4.2: S256 is what every app should send).
    code_challenge_methods_supported: plainPkceAllowed ? ["S256", "plain"] : ["S256"],
    prompt_values_supported: ["none", "login", "consent"],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "at_hash",
      "sid",
      "amr",
      "acr",
      "email",
      "email_verified",
      "name",
    ],
    acr_values_supported: [ACR_MFA, ACR_SINGLE_FACTOR],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
    dpop_signing_alg_values_supported: DPOP_ALGS,
    backchannel_logout_supported: true,
    // Logout tokens name the session that ended (sid), as ID tokens do.
    backchannel_logout_session_supported: true,
  };
}

const CACHEABLE = { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" };

export async function metadataEndpoint(request: Request): Promise<Response> {
  return new Response(JSON.stringify(await serverMetadata()), { headers: { ...CACHEABLE, ...(await corsHeaders(request.headers)) } });
}

export async function jwksEndpoint(request: Request): Promise<Response> {
  return new Response(JSON.stringify(await publicJwks()), {
    headers: { ...CACHEABLE, "Content-Type": "application/jwk-set+json", ...(await corsHeaders(request.headers)) },
  });
}

/** OPTIONS for the metadata and the JWKS, which browser apps read too. */
export const documentPreflight = corsPreflight("GET");
