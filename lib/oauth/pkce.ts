/** Proof Key for Code Exchange (RFC 7636). */
import { createHash } from "node:crypto";
import { constantTimeEqual } from "@/lib/crypto";

export type CodeChallengeMethod = "S256" | "plain";

// RFC 7636 §4.1: code-verifier = 43*128unreserved
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
// §4.2: S256 challenges are BASE64URL(SHA256(verifier)), always 43 characters.
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function isValidCodeVerifier(verifier: string): boolean {
  return VERIFIER.test(verifier);
}

export function isValidCodeChallenge(challenge: string, method: CodeChallengeMethod): boolean {
  return method === "S256" ? S256_CHALLENGE.test(challenge) : VERIFIER.test(challenge);
}

export function s256Challenge(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

/** RFC 7636 §4.6: the verifier must transform into the stored challenge. */
export function verifierMatchesChallenge(verifier: string, challenge: string, method: CodeChallengeMethod): boolean {
  if (!isValidCodeVerifier(verifier)) return false;
  return constantTimeEqual(method === "S256" ? s256Challenge(verifier) : verifier, challenge);
}
