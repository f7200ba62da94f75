/**
 * Metadata (RFC 8414, OpenID Connect Discovery 1.0) and the JWKS. Both
 * documents list exactly what the portal supports; `issuer` is ISSUER_URL.
 */
import { getConfig } from "@/lib/config";
import { publicJwks } from "@/lib/oauth/keys";
import { findResourceApi, portalApiAudience } from "@/lib/oauth/apis";

export async function serverMetadata(): Promise<Record<string, unknown>> {
  const { issuer, signingAlg } = getConfig();
  // The portal's own scopes; other APIs' scopes are theirs to document.
  const portal = await findResourceApi(portalApiAudience());
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    userinfo_endpoint: `${issuer}/oauth/userinfo`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    scopes_supported: [...(portal?.scopes.keys() ?? [])],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials"],
    subject_types_supported: ["public"],
    // ID tokens are signed with SIGNING_ALG only (access tokens are for APIs, which read the JWKS).
    id_token_signing_alg_values_supported: [signingAlg],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    code_challenge_methods_supported: ["S256", "plain"],
    prompt_values_supported: ["none", "login", "consent"],
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "email", "email_verified", "name"],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
  };
}

const CACHEABLE = { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" };

export async function metadataEndpoint(): Promise<Response> {
  return new Response(JSON.stringify(await serverMetadata()), { headers: CACHEABLE });
}

export async function jwksEndpoint(): Promise<Response> {
  return new Response(JSON.stringify(await publicJwks()), { headers: { ...CACHEABLE, "Content-Type": "application/jwk-set+json" } });
}
