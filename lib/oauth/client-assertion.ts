/**
 * private_key_jwt client authentication (RFC 7523 §2.2 and §3, OpenID
 * Connect Core §9): the app signs a short-lived JWT with its own key; the
 * portal verifies it with the public keys the app registered (inline, or at
 * its jwks_uri) and accepts each one once.
 */
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import { outboundRequest } from "@/lib/outbound";
import { getConfig } from "@/lib/config";
import { useAssertionOnce } from "@/lib/oauth/store/client-assertions";
import { endpointUrl as urlOf } from "@/lib/oauth/endpoint-paths";

export const JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Asymmetric only: an HMAC would need the secret private_key_jwt exists to avoid. */
export const ASSERTION_ALGS = ["RS256", "PS256", "ES256", "EdDSA"];
/** Longest lifetime accepted from iat (or from now without iat), so a stolen assertion is short-lived and its jti row goes soon. */
const MAX_LIFETIME_SECONDS = 600;
const CLOCK_SKEW_SECONDS = 30;

/** The client an assertion says it is (iss and sub must agree), read before any key is known; null when it names none. */
export function assertedClientId(assertion: string): string | null {
  try {
    const { iss, sub } = decodeJwt(assertion);
    return typeof iss === "string" && iss === sub ? iss : null;
  } catch {
    return null;
  }
}

// Remote key sets are kept per URI: jose caches the keys and fetches again for an unknown kid.
const remoteKeySets = new Map<string, JWTVerifyGetKey>();

function keySetOf(client: { jwks: string | null; jwksUri: string | null }): JWTVerifyGetKey | null {
  if (client.jwks) return createLocalJWKSet(JSON.parse(client.jwks) as JSONWebKeySet);
  if (!client.jwksUri) return null;
  let keys = remoteKeySets.get(client.jwksUri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(client.jwksUri), {
      timeoutDuration: 3000,
      cooldownDuration: 30_000,
      cacheMaxAge: 600_000,
      // Through the guarded client: no redirects, bounded size, no internal addresses outside development.
      [customFetch]: (url, options) =>
        outboundRequest(url, { method: "GET", headers: Object.fromEntries(options.headers), timeoutMs: 3000, signal: options.signal }),
    });
    if (remoteKeySets.size >= 1000) remoteKeySets.delete(remoteKeySets.keys().next().value!);
    remoteKeySets.set(client.jwksUri, keys);
  }
  return keys;
}

/**
 * Why the assertion does not authenticate this client, or null when it does.
 * The audience may be the issuer, the token endpoint or the endpoint called.
 */
export async function assertionProblem(
  assertion: string,
  client: { id: string; jwks: string | null; jwksUri: string | null },
  endpointUrl: string,
): Promise<string | null> {
  const keys = keySetOf(client);
  if (!keys) return "the app has no registered keys";
  const { issuer } = getConfig();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, keys, {
      issuer: client.id,
      subject: client.id,
      audience: [issuer, urlOf("token"), endpointUrl],
      algorithms: ASSERTION_ALGS,
      requiredClaims: ["exp", "jti"],
      clockTolerance: CLOCK_SKEW_SECONDS,
    }));
  } catch (error) {
    return `the assertion is not valid: ${(error as Error).message}`;
  }
  const now = Math.floor(Date.now() / 1000);
  const exp = payload.exp!;
  if (exp - (payload.iat ?? now) > MAX_LIFETIME_SECONDS || exp - now > MAX_LIFETIME_SECONDS) return "the assertion lives too long";
  if (typeof payload.jti !== "string" || payload.jti === "" || payload.jti.length > 200)
    return "the assertion's jti is missing or too long";
  if (!(await useAssertionOnce(client.id, payload.jti, new Date((exp + CLOCK_SKEW_SECONDS) * 1000))))
    return "the assertion was already used";
  return null;
}
