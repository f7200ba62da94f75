/**
 * Access tokens (RFC 9068 JWTs) and ID tokens (OpenID Connect Core §2),
 * signed with the portal's active key. Only this module signs and verifies.
 */
import { createHash, createHmac, randomUUID, sign, verify, type KeyObject, type SignKeyObjectInput } from "node:crypto";
import type { JWTPayload } from "jose";
import { getConfig } from "@/lib/config";
import { constantTimeEqual, derivedKey, timeOrderedId } from "@/lib/crypto";
import { acrOf } from "@/lib/oauth/acr";
import { activeSigningKey, publicKeyFor, type PublishedKey, type SigningAlg, type SigningKey } from "@/lib/oauth/keys";
import { isRevoked, isRevokedNow, type RevocationKey } from "@/lib/oauth/revocations";
import { formatScope, parseScope } from "@/lib/oauth/scopes";
import { findClientForAuthentication } from "@/lib/oauth/store/clients";

export type AccessTokenInput = {
  /** The user id, or the client id for client credentials. */
  subject: string;
  clientId: string;
  scopes: readonly string[];
  audience: string | string[];
  /** The API's access-token lifetime; ACCESS_TOKEN_TTL when absent. */
  lifetimeSeconds?: number;
  /** When the person signed in (seconds); absent for client credentials. */
  authTime?: number;
  grantId?: string;
  /** The refresh-token family (one per redeemed code), so revoking it ends these tokens too. */
  familyId?: string;
  /** RFC 9449: the thumbprint of the DPoP key the token is bound to (cnf.jkt). */
  dpopJkt?: string | null;
};

export type IssuedAccessToken = { token: string; jti: string; expiresIn: number; expiresAt: Date; alg: SigningAlg };

/**
 * A JWS signature (RFC 7518 §3) computed by node:crypto directly (cheaper
 * than jose), by default on the thread pool: off the event loop, the
 * signature of one request is computed while the loop serves others, which
 * raises one worker's throughput (README, performance). `onEventLoop` signs at once
 * instead, for a short signature that would otherwise queue behind other
 * requests' RSA signatures on the pool (see signUserTokens).
 */
function signature(key: SigningKey, input: Buffer, onEventLoop = false): Promise<Buffer> {
  const [digest, signingKey] = cryptoArguments(key.alg, key.privateKey);
  if (onEventLoop) return Promise.resolve(sign(digest, input, signingKey));
  return new Promise((resolve, reject) => sign(digest, input, signingKey, (error, result) => (error ? reject(error) : resolve(result))));
}

/** node:crypto's digest and key for a JWS algorithm, to sign with a private key or verify with a public one. */
function cryptoArguments(alg: SigningAlg, key: KeyObject): [digest: string | null, key: KeyObject | SignKeyObjectInput] {
  switch (alg) {
    case "ES256":
      return ["sha256", { key, dsaEncoding: "ieee-p1363" }];
    case "EdDSA":
      return [null, key];
    case "RS256":
      return ["sha256", key];
  }
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * A private JWS header parameter (RFC 7515 §4.3) of access tokens: an HMAC of
 * the key id and the encoded claims under a key derived from SERVER_SECRET,
 * which every instance shares. Resource servers ignore it. It lets the
 * revocation endpoint know that this portal issued the claims for the cost
 * of a hash instead of a signature check (see accessTokenToRevoke).
 */
const ISSUER_MAC = "pmac";

function issuerMac(kid: string, encodedClaims: string): string {
  return createHmac("sha256", derivedKey("access-token-issuer-mac"))
    .update(`${kid}.${encodedClaims}`)
    .digest()
    .subarray(0, 16)
    .toString("base64url");
}

/** Signs claims with the active key of `alg`, as this issuer, with the registered claims every token has. */
async function signJwt(
  alg: SigningAlg,
  payload: JWTPayload,
  options: {
    typ: "at+jwt" | "JWT" | "logout+jwt";
    subject: string;
    audience: string | string[];
    lifetimeSeconds: number;
    jti?: string;
    onEventLoop?: boolean;
  },
): Promise<{ token: string; expiresAt: number }> {
  const key = await activeSigningKey(alg);
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = now + options.lifetimeSeconds;
  const claims = {
    ...payload,
    iss: getConfig().issuer,
    sub: options.subject,
    aud: options.audience,
    iat: now,
    exp: expiresAt,
    ...(options.jti ? { jti: options.jti } : {}),
  };
  const encodedClaims = base64url(claims);
  const header = {
    alg: key.alg,
    typ: options.typ,
    kid: key.kid,
    ...(options.typ === "at+jwt" ? { [ISSUER_MAC]: issuerMac(key.kid, encodedClaims) } : {}),
  };
  const input = `${base64url(header)}.${encodedClaims}`;
  return { token: `${input}.${(await signature(key, Buffer.from(input), options.onEventLoop)).toString("base64url")}`, expiresAt };
}

/** The algorithm of an ID token or logout token: the app's own choice, or SIGNING_ALG. */
function idTokenAlg(requested: SigningAlg | undefined): SigningAlg {
  return requested ?? getConfig().signingAlg;
}

/**
 * Loads (or, on an algorithm's first use, creates) the keys that
 * issueAccessToken and, with `idToken`, issueIdToken sign with: once loaded
 * they are in memory, and signing waits on nothing that can fail.
 */
export async function loadSigningKeys(idToken?: { alg?: SigningAlg }): Promise<void> {
  await Promise.all([activeSigningKey(getConfig().accessTokenSigningAlg), ...(idToken ? [activeSigningKey(idTokenAlg(idToken.alg))] : [])]);
}

/** `onEventLoop`: sign at once, not on the thread pool (see `signature`). */
export async function issueAccessToken(input: AccessTokenInput, { onEventLoop = false } = {}): Promise<IssuedAccessToken> {
  const expiresIn = input.lifetimeSeconds ?? getConfig().ttl.accessToken;
  // Time-ordered: a revocation stores it, appended to the revocations' index.
  const jti = timeOrderedId();
  const payload: JWTPayload = {
    client_id: input.clientId,
    scope: formatScope(input.scopes),
    ...(input.authTime !== undefined ? { auth_time: input.authTime } : {}),
    ...(input.grantId ? { gid: input.grantId } : {}),
    ...(input.familyId ? { fid: input.familyId } : {}),
    ...(input.dpopJkt ? { cnf: { jkt: input.dpopJkt } } : {}),
  };
  const alg = getConfig().accessTokenSigningAlg;
  const { token, expiresAt } = await signJwt(alg, payload, {
    typ: "at+jwt",
    subject: input.subject,
    audience: input.audience,
    lifetimeSeconds: expiresIn,
    jti,
    onEventLoop,
  });
  return { token, jti, expiresIn, expiresAt: new Date(expiresAt * 1000), alg };
}

/** OpenID Connect Core §3.1.3.6: the left half of the token's hash, with the hash of the signing algorithm. */
export function accessTokenHash(accessToken: string, alg: SigningAlg): string {
  const digest = createHash(alg === "EdDSA" ? "sha512" : "sha256")
    .update(accessToken)
    .digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

export type IdTokenInput = {
  userId: string;
  clientId: string;
  /** The app's id_token_signed_response_alg; SIGNING_ALG otherwise. */
  alg?: SigningAlg;
  /** The portal session it came from (OpenID Connect Front- and Back-Channel Logout `sid`). */
  sid?: string;
  /** How the person signed in (RFC 8176 values); `acr` follows from them. */
  amr?: string[];
  authTime: number;
  nonce?: string;
  accessToken: IssuedAccessToken;
  /** Claims released by the granted scopes (email, name). */
  claims: Record<string, unknown>;
};

export async function issueIdToken(input: IdTokenInput): Promise<string> {
  const alg = idTokenAlg(input.alg);
  const payload: JWTPayload = {
    ...input.claims,
    auth_time: input.authTime,
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    ...(input.sid !== undefined ? { sid: input.sid } : {}),
    ...(input.amr ? { amr: input.amr, acr: acrOf(input.amr) } : {}),
    // With the hash of the ID token's own algorithm (which may differ from the access token's).
    at_hash: accessTokenHash(input.accessToken.token, alg),
  };
  const { token } = await signJwt(alg, payload, {
    typ: "JWT",
    subject: input.userId,
    audience: input.clientId,
    lifetimeSeconds: getConfig().ttl.accessToken,
  });
  return token;
}

/**
 * A back-channel logout token (OpenID Connect Back-Channel Logout 1.0 §2.4):
 * the person signed out; no nonce, so it can never pass for an ID token.
 */
export async function issueLogoutToken(input: {
  userId: string;
  clientId: string;
  sid?: string | null;
  alg?: SigningAlg;
}): Promise<string> {
  const payload: JWTPayload = {
    events: { "http://schemas.openid.net/event/backchannel-logout": {} },
    ...(input.sid ? { sid: input.sid } : {}),
  };
  const { token } = await signJwt(idTokenAlg(input.alg), payload, {
    typ: "logout+jwt",
    subject: input.userId,
    audience: input.clientId,
    lifetimeSeconds: 120,
    jti: randomUUID(),
  });
  return token;
}

/**
 * The person and app named by an ID token this portal issued (an
 * RP-Initiated Logout id_token_hint), or null. Expired hints are accepted,
 * as the specification allows: the person may have been signed in for long.
 */
export async function idTokenHintClaims(token: string): Promise<{ sub: string; clientId: string } | null> {
  const jws = compactJws(token);
  if (jws?.header.typ !== "JWT") return null;
  const payload = await signedPayload(jws);
  if (!payload || payload.iss !== getConfig().issuer || typeof payload.sub !== "string" || typeof payload.aud !== "string") return null;
  return { sub: payload.sub, clientId: payload.aud };
}

export type AccessTokenClaims = {
  sub: string;
  clientId: string;
  scopes: string[];
  aud: string[];
  jti: string;
  iat: number;
  exp: number;
  authTime?: number;
  grantId?: string;
  familyId?: string;
  /** False for client credentials tokens: no grant, and the subject is the client. */
  hasUser: boolean;
  /** RFC 9449: the DPoP key the token is bound to; its holder must prove it with each use. */
  jkt?: string;
};

const JWS_SEGMENT = /^[A-Za-z0-9_-]+$/;

type CompactJws = { header: Record<string, unknown>; encodedHeader: string; encodedPayload: string; encodedSignature: string };

/** A compact JWS (RFC 7515 §7.1): its three segments with the header decoded, or null when the text is not one. */
function compactJws(token: string): CompactJws | null {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((part) => JWS_SEGMENT.test(part))) return null;
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  const header = jsonSegment(encodedHeader);
  return header ? { header, encodedHeader, encodedPayload, encodedSignature } : null;
}

/**
 * The payload, when the JWS is signed by the published key its header names,
 * under that key's own algorithm (so no `none`, no HMAC, no algorithm swap).
 */
async function signedPayload(jws: CompactJws): Promise<Record<string, unknown> | null> {
  if (typeof jws.header.kid !== "string") return null;
  const key = await publicKeyFor(jws.header.kid);
  if (!key || key.alg !== jws.header.alg) return null;
  if (!signatureValid(key, `${jws.encodedHeader}.${jws.encodedPayload}`, Buffer.from(jws.encodedSignature, "base64url"))) return null;
  return jsonSegment(jws.encodedPayload);
}

/** A base64url segment holding a JSON object, or null. */
function jsonSegment(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function signatureValid(key: PublishedKey, input: string, signature: Buffer): boolean {
  try {
    const [digest, publicKey] = cryptoArguments(key.alg, key.publicKey);
    return verify(digest, Buffer.from(input), publicKey, signature);
  } catch {
    return false;
  }
}

const isNumericDate = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/**
 * The payload of a compact JWS that is an access token of this portal (RFC
 * 7515, RFC 9068), or null: `typ` at+jwt, a published key whose algorithm is
 * the header's (so no `none`, no HMAC, no algorithm swap), a valid signature,
 * this issuer, and the claims every access token has. No `crit` or `b64`:
 * the portal writes neither. Checked with node:crypto directly, which costs
 * less than jose on this path; the tests hold it to jose's verdicts.
 */
async function checkedAccessToken(token: string): Promise<{ payload: JWTPayload; kid: string } | null> {
  const jws = compactJws(token);
  if (!jws) return null;
  const { header } = jws;
  if (header.crit !== undefined || header.b64 !== undefined) return null;
  if (typeof header.kid !== "string" || typeof header.alg !== "string" || typeof header.typ !== "string") return null;
  if (header.typ.toLowerCase().replace(/^application\//, "") !== "at+jwt") return null;
  const payload = await signedPayload(jws);
  if (!payload || payload.iss !== getConfig().issuer) return null;
  if (typeof payload.sub !== "string" || typeof payload.jti !== "string" || typeof payload.client_id !== "string") return null;
  if (!isNumericDate(payload.exp) || !isNumericDate(payload.iat)) return null;
  if (payload.nbf !== undefined && (!isNumericDate(payload.nbf) || payload.nbf > Date.now() / 1000)) return null;
  const { aud } = payload;
  if (aud !== undefined && typeof aud !== "string" && !(Array.isArray(aud) && aud.every((entry) => typeof entry === "string"))) return null;
  return { payload: payload as JWTPayload, kid: header.kid };
}

export function revocationKeysOf(claims: Pick<AccessTokenClaims, "jti" | "grantId" | "familyId">): RevocationKey[] {
  const keys: RevocationKey[] = [`jti:${claims.jti}`];
  if (claims.familyId) keys.push(`family:${claims.familyId}`);
  if (claims.grantId) keys.push(`grant:${claims.grantId}`);
  return keys;
}

/**
 * Tokens whose signature, type and issuer were checked, by their text: an
 * access token is presented many times in its life, and checking a signature
 * costs more than the rest of such a request. What can change is checked on
 * every use: expiry, audience, the key still published, revocation, the app.
 */
type Verified = { claims: AccessTokenClaims; kid: string };
const verifiedTokens = new Map<string, Verified>();
const VERIFIED_TOKENS_KEPT = 10_000;

async function verifiedSignature(token: string): Promise<Verified | null> {
  const known = verifiedTokens.get(token);
  if (known) return known;
  const checked = await checkedAccessToken(token);
  if (!checked) return null;
  const verified = { claims: claimsOf(checked.payload), kid: checked.kid };
  // Oldest first out: a Map keeps insertion order.
  if (verifiedTokens.size >= VERIFIED_TOKENS_KEPT) verifiedTokens.delete(verifiedTokens.keys().next().value!);
  verifiedTokens.set(token, verified);
  return verified;
}

/**
 * The claims of a valid, unrevoked access token issued by this portal, or
 * null. Checks signature, `typ: at+jwt` (so an ID token is never accepted),
 * issuer, expiry and, when given, the audience. Revocations come from memory
 * (another instance's within a second), or with `authoritative` from the
 * database (introspection).
 */
export async function verifyAccessToken(
  token: string,
  options: { audience?: string; authoritative?: boolean } = {},
): Promise<AccessTokenClaims | null> {
  const verified = await verifiedSignature(token);
  if (!verified) return null;
  const { claims, kid } = verified;
  if (claims.exp <= Math.floor(Date.now() / 1000)) return null;
  if (options.audience !== undefined && !claims.aud.includes(options.audience)) return null;
  // A retired key's tokens are refused from the moment it leaves the JWKS.
  if (!(await publicKeyFor(kid))) {
    verifiedTokens.delete(token);
    return null;
  }
  if (await (options.authoritative ? isRevokedNow : isRevoked)(revocationKeysOf(claims))) return null;
  // A disabled or deleted app's tokens end with it (cached lookup, see store/clients).
  const client = await findClientForAuthentication(claims.clientId);
  if (!client || client.disabledAt) return null;
  return claims;
}

/**
 * The claims of an access token presented for revocation (RFC 7009), or null
 * when it is no live token of this portal. Revocation needs to know that this
 * portal issued the claims, not that the JWS signature is intact, so a valid
 * issuer MAC stands in for the signature check, which would be most of a
 * revocation's CPU. Tokens without a valid MAC (issued
 * under another SERVER_SECRET) take the full check. The rest is as for any use:
 * not expired, its key still published, not already revoked.
 */
export async function accessTokenToRevoke(token: string): Promise<AccessTokenClaims | null> {
  const jws = compactJws(token);
  if (!jws) return null;
  const { header, encodedPayload } = jws;
  const mac = header[ISSUER_MAC];
  if (typeof mac !== "string" || typeof header.kid !== "string" || !constantTimeEqual(mac, issuerMac(header.kid, encodedPayload)))
    return verifyAccessToken(token);
  const payload = jsonSegment(encodedPayload);
  if (!payload) return null;
  const claims = claimsOf(payload as JWTPayload);
  if (claims.exp <= Math.floor(Date.now() / 1000) || !(await publicKeyFor(header.kid))) return null;
  return (await isRevoked(revocationKeysOf(claims))) ? null : claims;
}

function claimsOf(payload: JWTPayload): AccessTokenClaims {
  return {
    sub: String(payload.sub),
    clientId: String(payload.client_id),
    scopes: parseScope(typeof payload.scope === "string" ? payload.scope : ""),
    aud: typeof payload.aud === "string" ? [payload.aud] : (payload.aud ?? []),
    jti: String(payload.jti),
    iat: Number(payload.iat),
    exp: Number(payload.exp),
    authTime: typeof payload.auth_time === "number" ? payload.auth_time : undefined,
    grantId: typeof payload.gid === "string" ? payload.gid : undefined,
    familyId: typeof payload.fid === "string" ? payload.fid : undefined,
    hasUser: typeof payload.gid === "string",
    jkt: typeof (payload.cnf as { jkt?: unknown } | undefined)?.jkt === "string" ? (payload.cnf as { jkt: string }).jkt : undefined,
  };
}
