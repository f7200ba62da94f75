/** Random values, keyed hashes and sealed values for secrets the portal stores. */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomFillSync, timingSafeEqual } from "node:crypto";
import { getConfig } from "@/lib/config";

const RANDOM_POOL_BYTES = 4096;
let randomPool = Buffer.alloc(0);
let randomOffset = 0;

/**
 * `bytes` bytes from the CSPRNG, each handed out once. A token request needs
 * four or five random values, and asking OpenSSL for each costs several
 * microseconds; one fill serves a few hundred (as Node's randomUUID does).
 */
export function randomBytes(bytes: number): Buffer {
  if (bytes > RANDOM_POOL_BYTES) return randomFillSync(Buffer.alloc(bytes));
  if (randomOffset + bytes > randomPool.length) {
    randomPool = randomFillSync(Buffer.allocUnsafeSlow(RANDOM_POOL_BYTES));
    randomOffset = 0;
  }
  const taken = Buffer.from(randomPool.subarray(randomOffset, randomOffset + bytes));
  // Nothing handed out stays behind to be read again.
  randomPool.fill(0, randomOffset, randomOffset + bytes);
  randomOffset += bytes;
  return taken;
}

/** A URL-safe random string carrying `bytes` bytes from the CSPRNG. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** Hex from the CSPRNG: client secrets are 64 hex characters (256 bits). */
export function randomHex(bytes = 32): string {
  return randomBytes(bytes).toString("hex");
}

/**
 * A UUID version 7 (RFC 9562 §5.7): the time in milliseconds, then 74 random
 * bits. Rows keyed by it are appended to their index instead of scattered
 * through it, so a table that grows by millions (audit events, refresh
 * tokens) keeps few pages hot. For row ids only: it tells when it was made,
 * so it is never a secret.
 */
export function timeOrderedId(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Below every id timeOrderedId makes at `time` or later, above every one made earlier: where a range of ids by time begins. */
export function firstTimeOrderedId(time: number): string {
  const hex = time.toString(16).padStart(12, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
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

/** AES-256-GCM under a key derived for `purpose`: for secrets the portal must read back (signing keys, tokens kept for a retry). */
export function seal(plaintext: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey(purpose), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString("base64url")).join(".");
}

export function unseal(sealed: string, purpose: string): string {
  const [iv, tag, ciphertext] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !tag || !ciphertext) throw new Error(`malformed sealed value (${purpose})`);
  const decipher = createDecipheriv("aes-256-gcm", derivedKey(purpose), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
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
