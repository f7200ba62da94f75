/**
 * DPoP (RFC 9449): a client proves, with each request, that it holds the
 * private key its tokens are bound to. A proof is a JWT signed with that key
 * (carried in its header), naming the method and URL, fresh (iat within a
 * minute), used once across every instance, and at a resource the hash of
 * the access token. Nonces (DPOP_REQUIRE_NONCE) change every 5 minutes and
 * are derived from SERVER_SECRET, so every instance knows them without state.
 */
import { createHash, createHmac } from "node:crypto";
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  EmbeddedJWK,
  jwtVerify,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from "jose";
import { getConfig } from "@/lib/config";
import { derivedKey } from "@/lib/crypto";
import { ASSERTION_ALGS } from "@/lib/oauth/client-assertion";
import { OAuthError } from "@/lib/oauth/errors";
import { hasPrivateParts } from "@/lib/oauth/keys";
import { useDpopProofOnce } from "@/lib/oauth/store/dpop-proofs";
import type { HeaderReader } from "@/lib/protocol-http";

export const DPOP_ALGS = ASSERTION_ALGS;
const IAT_WINDOW_SECONDS = 60;
const NONCE_WINDOW_MS = 5 * 60 * 1000;

function nonceFor(window: number): string {
  return createHmac("sha256", derivedKey("dpop-nonce")).update(String(window)).digest("base64url").slice(0, 32);
}

/** The nonce to hand out now (in the DPoP-Nonce header). */
export function currentDpopNonce(): string {
  return nonceFor(Math.floor(Date.now() / NONCE_WINDOW_MS));
}

function nonceValid(nonce: unknown): boolean {
  const window = Math.floor(Date.now() / NONCE_WINDOW_MS);
  return typeof nonce === "string" && (nonce === nonceFor(window) || nonce === nonceFor(window - 1));
}

/** RFC 9449 §4.3: htu is compared without query and fragment. */
function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

export class DpopProofError extends OAuthError {
  constructor(description: string, code: "invalid_dpop_proof" | "use_dpop_nonce" = "invalid_dpop_proof") {
    super(code, description);
  }
}

/**
 * The thumbprint (RFC 7638) of the key a valid proof was signed with, or a
 * DpopProofError. `accessToken`: at a resource, the proof must carry its hash.
 */
export async function verifyDpopProof(proof: string, request: { method: string; url: string; accessToken?: string }): Promise<string> {
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw new DpopProofError("The DPoP proof is not a JWT");
  }
  if (!header.jwk || hasPrivateParts(header.jwk)) throw new DpopProofError("The DPoP proof must carry a public key");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: DPOP_ALGS }));
  } catch (error) {
    throw new DpopProofError(`The DPoP proof is not valid: ${(error as Error).message}`);
  }
  if (payload.htm !== request.method) throw new DpopProofError("The DPoP proof is for another method");
  if (typeof payload.htu !== "string" || !URL.canParse(payload.htu) || withoutQuery(payload.htu) !== withoutQuery(request.url))
    throw new DpopProofError("The DPoP proof is for another URL");
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.iat !== "number" || Math.abs(now - payload.iat) > IAT_WINDOW_SECONDS)
    throw new DpopProofError("The DPoP proof is too old or from the future");
  if (typeof payload.jti !== "string" || payload.jti === "" || payload.jti.length > 200)
    throw new DpopProofError("The DPoP proof needs a jti");
  if (request.accessToken !== undefined && payload.ath !== createHash("sha256").update(request.accessToken).digest("base64url"))
    throw new DpopProofError("The DPoP proof is for another access token");
  if (getConfig().dpopRequireNonce && !nonceValid(payload.nonce)) throw new DpopProofError("Use the server's DPoP nonce", "use_dpop_nonce");
  const jkt = await calculateJwkThumbprint(header.jwk, "sha256");
  if (!(await useDpopProofOnce(jkt, payload.jti, new Date((payload.iat + IAT_WINDOW_SECONDS * 2) * 1000))))
    throw new DpopProofError("The DPoP proof was already used");
  return jkt;
}

/** The proof's key thumbprint when the request carries a DPoP header; null when it carries none. */
export async function dpopKeyOf(
  headers: HeaderReader,
  request: { method: string; url: string; accessToken?: string },
): Promise<string | null> {
  const proof = headers.get("dpop");
  if (proof === null) return null;
  if (proof.includes(",")) throw new DpopProofError("Send one DPoP proof");
  return verifyDpopProof(proof, request);
}

/**
 * RFC 9449 §7: what is wrong with the way a token was presented at a
 * resource, or null. A bound token (cnf.jkt) needs the DPoP scheme and a
 * proof of its key for this request and this token; an unbound one, Bearer.
 */
export async function possessionProblem(
  presented: { scheme: "Bearer" | "DPoP"; token: string },
  claims: { jkt?: string },
  request: { method: string; url: string; headers: HeaderReader },
): Promise<string | null> {
  if (!claims.jkt) return presented.scheme === "DPoP" ? "This access token is not bound to a DPoP key: use the Bearer scheme" : null;
  if (presented.scheme !== "DPoP") return "This access token is bound to a DPoP key: use the DPoP scheme with a proof";
  try {
    const jkt = await dpopKeyOf(request.headers, { method: request.method, url: request.url, accessToken: presented.token });
    if (jkt === null) return "A DPoP proof is required";
    return jkt === claims.jkt ? null : "The DPoP proof was signed with another key";
  } catch (error) {
    if (error instanceof DpopProofError) return error.description;
    throw error;
  }
}
