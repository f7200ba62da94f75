/**
 * Signing keys: created on first start, kept in the database with the private
 * half encrypted (AES-256-GCM under a key derived from SERVER_SECRET), and
 * cached in memory. Each algorithm has its own keys (ID tokens and access
 * tokens may use different ones): the newest activated key of an algorithm
 * signs with it; every key not retired is published in the JWKS, so tokens
 * signed before a rotation stay verifiable.
 */
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import { getConfig } from "@/lib/config";
import { seal, unseal } from "@/lib/crypto";
import { db, isUniqueViolation } from "@/lib/db";

export const SIGNING_ALGS = ["RS256", "ES256", "EdDSA"] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

export type SigningKey = { kid: string; alg: SigningAlg; privateKey: KeyObject };
export type PublishedKey = { kid: string; alg: SigningAlg; jwk: JWK; publicKey: KeyObject };
type KeySet = { active: Map<SigningAlg, SigningKey>; published: Map<string, PublishedKey>; loadedAt: number };

/** The algorithms the settings sign with: ID tokens' and access tokens'. */
export function configuredAlgorithms(): SigningAlg[] {
  const { signingAlg, accessTokenSigningAlg } = getConfig();
  return [...new Set([signingAlg, accessTokenSigningAlg])];
}

/** Other instances may rotate or retire keys: reload at most this often, or at once for an unknown kid. */
export const RELOAD_AFTER_MS = 5_000;
const holder = globalThis as unknown as { portalKeys?: KeySet; portalKeysLoading?: Promise<KeySet>; portalKeysGeneration?: number };

/** Whether a JWK holds private material (RFC 7518 §6): an app or a DPoP proof must only ever send public keys. */
export function hasPrivateParts(jwk: object): boolean {
  return ["d", "p", "q", "dp", "dq", "qi", "k"].some((member) => member in jwk);
}

const encrypt = (plaintext: string) => seal(plaintext, "signing-keys");
const decrypt = (sealed: string) => unseal(sealed, "signing-keys");

/** Creates a key and makes it the one that signs with its algorithm. */
/**
 * A new key for `alg`: published at once, signing from SIGNING_KEY_PUBLISH_AHEAD
 * later, so that every instance (which reloads keys every RELOAD_AFTER_MS) lists
 * it in its JWKS before any token it signs exists.
 */
export async function createSigningKey(alg: SigningAlg): Promise<{ kid: string; signsFrom: Date }> {
  const signsFrom = new Date(Date.now() + getConfig().signingKeyPublishAheadSeconds * 1000);
  const row = await newKeyRow(alg, signsFrom);
  await db().signingKey.create({ data: row });
  forgetCachedKeys();
  return { kid: row.kid, signsFrom };
}

async function newKeyRow(alg: SigningAlg, activatedAt: Date) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    alg,
    publicJwk: JSON.stringify({ ...publicJwk, kid, alg, use: "sig" }),
    privateJwkEncrypted: encrypt(JSON.stringify(await exportJWK(privateKey))),
    activatedAt,
  };
}

/**
 * The first key of an algorithm, which must sign at once. Instances starting
 * together on an empty database would each make one, and sign with a key the
 * others do not publish yet: a marker row per algorithm lets one of them win,
 * and the others load the winner's key.
 */
export async function insertFirstSigningKey(alg: SigningAlg): Promise<void> {
  const row = await newKeyRow(alg, new Date());
  try {
    await db().$transaction([db().counter.create({ data: { name: `first-signing-key:${alg}` } }), db().signingKey.create({ data: row })]);
  } catch (error) {
    // Another instance's first key won.
    if (!isUniqueViolation(error)) throw error;
    // Or the marker is from a first key since retired: then this one is needed after all.
    if ((await db().signingKey.count({ where: { alg, retiredAt: null } })) === 0) await db().signingKey.create({ data: row });
  }
}

async function loadKeys(): Promise<KeySet> {
  const published = () => db().signingKey.findMany({ where: { retiredAt: null }, orderBy: { activatedAt: "desc" } });
  let rows = await published();
  const missing = configuredAlgorithms().filter((alg) => !rows.some((row) => row.alg === alg));
  if (missing.length > 0) {
    // Not createSigningKey: forgetting the cache here would throw away the very set this load makes.
    for (const alg of missing) await insertFirstSigningKey(alg);
    rows = await published();
  }
  const keys: KeySet = { active: new Map(), published: new Map(), loadedAt: Date.now() };
  for (const row of rows) {
    const alg = row.alg as SigningAlg;
    const jwk = JSON.parse(row.publicJwk) as JWK;
    keys.published.set(row.kid, { kid: row.kid, alg, jwk, publicKey: createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }) });
  }
  // Rows come newest first: the newest key already due signs; with none due (the signing key
  // was just retired), the key due next signs at once rather than none.
  for (const alg of new Set(rows.map((row) => row.alg as SigningAlg))) {
    const ofAlg = rows.filter((row) => row.alg === alg && row.activatedAt !== null);
    const signing = ofAlg.find((row) => row.activatedAt! <= new Date()) ?? ofAlg.at(-1);
    if (!signing) continue;
    keys.active.set(alg, {
      kid: signing.kid,
      alg,
      privateKey: createPrivateKey({ key: JSON.parse(decrypt(signing.privateJwkEncrypted)) as JsonWebKey, format: "jwk" }),
    });
  }
  return keys;
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
 * while the reload runs in the background, so no token request ever waits
 * for the database to sign.
 */
async function keySet(): Promise<KeySet> {
  const keys = holder.portalKeys;
  if (!keys) return reload();
  if (Date.now() - keys.loadedAt >= RELOAD_AFTER_MS && !holder.portalKeysLoading) {
    reload().catch((error: unknown) => console.error("reloading signing keys failed:", error));
  }
  return keys;
}

/** Loads the keys, creating one for each configured algorithm that has none (the first start). */
export async function ensureSigningKeys(): Promise<void> {
  await keySet();
}

/** The key that signs new tokens with `alg`; one is created when the algorithm has none yet. */
export async function activeSigningKey(alg: SigningAlg): Promise<SigningKey> {
  const key = (await keySet()).active.get(alg);
  if (key) return key;
  await insertFirstSigningKey(alg);
  forgetCachedKeys();
  const created = (await reload()).active.get(alg);
  if (!created) throw new Error(`No ${alg} signing key could be loaded`);
  return created;
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
 * within RELOAD_AFTER_MS. If it was the key that signs with its algorithm, a
 * new one of that algorithm signs from now on. Returns the kid of that new key.
 */
export async function retireSigningKey(kid: string): Promise<string | undefined> {
  const key = await db().signingKey.findUnique({ where: { kid } });
  if (!key || key.retiredAt) throw new UnknownKeyError(`No published signing key has the kid ${kid}`);
  const alg = key.alg as SigningAlg;
  const replacement = (await keySet()).active.get(alg)?.kid === kid ? (await createSigningKey(alg)).kid : undefined;
  await db().signingKey.update({ where: { kid }, data: { retiredAt: new Date() } });
  forgetCachedKeys();
  return replacement;
}

/** The published keys, newest first, marking those that sign. */
export async function listSigningKeys(): Promise<{ kid: string; alg: string; createdAt: Date; active: boolean }[]> {
  const { active } = await keySet();
  const rows = await db().signingKey.findMany({
    where: { retiredAt: null },
    orderBy: { activatedAt: "desc" },
    select: { kid: true, alg: true, createdAt: true },
  });
  return rows.map((row) => ({ ...row, active: active.get(row.alg as SigningAlg)?.kid === row.kid }));
}
