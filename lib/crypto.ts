/** Random values and keyed hashes for secrets the portal stores. */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import { getConfig } from "@/lib/config";

/** A URL-safe random string carrying `bytes` bytes from the CSPRNG. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Hex from the CSPRNG: client secrets are 64 hex characters (256 bits). */
export function randomHex(bytes = 32): string {
  return randomBytes(bytes).toString("hex");
}

const derivedKeys = new Map<string, Buffer>();

/**
 * A key for one purpose, derived from SERVER_SECRET with HKDF so that a key
 * leaked from one use (CSRF tokens, say) says nothing about another.
 */
export function derivedKey(purpose: string): Buffer {
  let key = derivedKeys.get(purpose);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", getConfig().serverSecret, "identity-portal", purpose, 32));
    derivedKeys.set(purpose, key);
  }
  return key;
}

/**
 * Keyed SHA-256 for random secrets (client secrets, codes, refresh tokens).
 * They carry 256 bits already, so a slow hash would add cost, not safety
 * (security checklist item 28); the key keeps a stolen table useless.
 */
export function hashSecret(value: string): string {
  return createHmac("sha256", derivedKey("stored-secrets")).update(value).digest("hex");
}

/** Constant-time comparison of two strings (false for different lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Constant-time check of a presented secret against its stored hash. */
export function secretMatches(presented: string, storedHash: string): boolean {
  return constantTimeEqual(hashSecret(presented), storedHash);
}
