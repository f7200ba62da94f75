/**
 * Signing keys: created on first start, kept in the database with the private
 * half encrypted (AES-256-GCM under a key derived from SERVER_SECRET), and
 * cached in memory. The newest activated key signs; every key not retired is
 * published in the JWKS, so tokens signed before a rotation stay verifiable.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { getConfig } from "@/lib/config";
import { derivedKey } from "@/lib/crypto";
import { db } from "@/lib/db";

export const SIGNING_ALGS = ["RS256", "ES256", "EdDSA"] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export type SigningKey = { kid: string; alg: SigningAlg; privateKey: CryptoKey };
type PublishedKey = { kid: string; alg: SigningAlg; jwk: JWK; publicKey: CryptoKey };
type KeySet = { active: SigningKey; published: Map<string, PublishedKey>; loadedAt: number };

/** Other instances may rotate or retire keys: reload at most this often, or at once for an unknown kid. */
export const RELOAD_AFTER_MS = 5_000;
const holder = globalThis as unknown as { portalKeys?: KeySet; portalKeysLoading?: Promise<KeySet>; portalKeysGeneration?: number };

function encrypt(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derivedKey("signing-keys"), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString("base64url")).join(".");
}

function decrypt(sealed: string): string {
  const [iv, tag, ciphertext] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !tag || !ciphertext) throw new Error("malformed encrypted signing key");
  const decipher = createDecipheriv("aes-256-gcm", derivedKey("signing-keys"), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
}

/** Creates a key of the configured algorithm and makes it the one that signs. */
export async function createSigningKey(alg: SigningAlg = getConfig().signingAlg): Promise<string> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  await db().signingKey.create({
    data: {
      kid,
      alg,
      publicJwk: JSON.stringify({ ...publicJwk, kid, alg, use: "sig" }),
      privateJwkEncrypted: encrypt(JSON.stringify(await exportJWK(privateKey))),
      activatedAt: new Date(),
    },
  });
  forgetCachedKeys();
  return kid;
}

async function loadKeys(): Promise<KeySet> {
  let rows = await db().signingKey.findMany({ where: { retiredAt: null }, orderBy: { activatedAt: "desc" } });
  if (rows.length === 0) {
    await createSigningKey();
    rows = await db().signingKey.findMany({ where: { retiredAt: null }, orderBy: { activatedAt: "desc" } });
  }
  const published = new Map<string, PublishedKey>();
  for (const row of rows) {
    const jwk = JSON.parse(row.publicJwk) as JWK;
    published.set(row.kid, { kid: row.kid, alg: row.alg as SigningAlg, jwk, publicKey: (await importJWK(jwk, row.alg)) as CryptoKey });
  }
  const newest = rows.find((row) => row.activatedAt !== null && row.activatedAt <= new Date()) ?? rows[0]!;
  const privateKey = (await importJWK(JSON.parse(decrypt(newest.privateJwkEncrypted)) as JWK, newest.alg)) as CryptoKey;
  return { active: { kid: newest.kid, alg: newest.alg as SigningAlg, privateKey }, published, loadedAt: Date.now() };
}

/**
 * Loads the keys, once at a time; the result becomes the set everyone is
 * served, unless the keys were forgotten meanwhile (a rotation here).
 */
function reload(): Promise<KeySet> {
  if (!holder.portalKeysLoading) {
    const generation = holder.portalKeysGeneration ?? 0;
    const loading = loadKeys()
      .then((keys) => {
        if ((holder.portalKeysGeneration ?? 0) === generation) holder.portalKeys = keys;
        return keys;
      })
      .finally(() => {
        if (holder.portalKeysLoading === loading) holder.portalKeysLoading = undefined;
      });
    holder.portalKeysLoading = loading;
  }
  return holder.portalKeysLoading;
}

/**
 * The keys, reloaded every RELOAD_AFTER_MS. Once loaded, a stale set is served
 * while the reload runs in the background: signing happens inside the token
 * transactions, and waiting there for another pooled connection could use up
 * the pool (every connection held by a transaction waiting for one more).
 */
async function keySet(): Promise<KeySet> {
  const keys = holder.portalKeys;
  if (!keys) return reload();
  if (Date.now() - keys.loadedAt >= RELOAD_AFTER_MS && !holder.portalKeysLoading) {
    reload().catch((error: unknown) => console.error("reloading signing keys failed:", error));
  }
  return keys;
}

/** The key that signs new tokens. */
export async function activeSigningKey(): Promise<SigningKey> {
  return (await keySet()).active;
}

/**
 * The public key for a kid, reloading (at most once a second) when the kid is
 * not known yet (another instance rotated). Signers keep the current set meanwhile.
 */
export async function publicKeyFor(kid: string): Promise<PublishedKey | undefined> {
  const keys = await keySet();
  const key = keys.published.get(kid);
  if (key || Date.now() - keys.loadedAt < 1000) return key;
  return (await reload()).published.get(kid);
}

/** The algorithms of the published keys (an ID token may be signed by any of them after a change of SIGNING_ALG). */
export async function publishedAlgorithms(): Promise<SigningAlg[]> {
  const keys = await keySet();
  return [...new Set([keys.active.alg, ...[...keys.published.values()].map((key) => key.alg)])];
}

/** RFC 7517 JWK Set of every published key. */
export async function publicJwks(): Promise<{ keys: JWK[] }> {
  return { keys: [...(await keySet()).published.values()].map((key) => key.jwk) };
}

/** After a change made here (rotate, retire): the next use loads the keys afresh. */
export function forgetCachedKeys(): void {
  holder.portalKeys = undefined;
  holder.portalKeysLoading = undefined;
  holder.portalKeysGeneration = (holder.portalKeysGeneration ?? 0) + 1;
}

export class UnknownKeyError extends Error {
  override name = "UnknownKeyError";
}

/**
 * Takes a key (a compromised one) out of service: it leaves the JWKS and
 * every token it signed is refused, here at once and at other instances
 * within RELOAD_AFTER_MS. If it was the key that signs, a new one of the
 * configured algorithm signs from now on. Returns the kid of that new key.
 */
export async function retireSigningKey(kid: string): Promise<string | undefined> {
  const key = await db().signingKey.findUnique({ where: { kid } });
  if (!key || key.retiredAt) throw new UnknownKeyError(`No published signing key has the kid ${kid}`);
  const replacement = (await activeSigningKey()).kid === kid ? await createSigningKey() : undefined;
  await db().signingKey.update({ where: { kid }, data: { retiredAt: new Date() } });
  forgetCachedKeys();
  return replacement;
}

/** The published keys, newest first, marking the one that signs. */
export async function listSigningKeys(): Promise<{ kid: string; alg: string; createdAt: Date; active: boolean }[]> {
  const { active } = await keySet();
  const rows = await db().signingKey.findMany({ where: { retiredAt: null }, orderBy: { activatedAt: "desc" }, select: { kid: true, alg: true, createdAt: true } });
  return rows.map((row) => ({ ...row, active: row.kid === active.kid }));
}
