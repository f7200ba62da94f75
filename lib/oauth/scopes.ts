/** Scope strings (RFC 6749 §3.3) and the portal's scopes catalog. */
import { db } from "@/lib/db";

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export function isValidScopeToken(token: string): boolean {
  return SCOPE_TOKEN.test(token);
}

/** Splits a space-separated scope string into unique tokens; order does not matter. */
export function parseScope(value: string | null | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(" ").filter((token) => token !== ""))];
}

export function formatScope(scopes: Iterable<string>): string {
  return [...scopes].join(" ");
}

export type CatalogScope = { name: string; description: string; tokenKind: string };

export function listScopes(): Promise<CatalogScope[]> {
  return db().scope.findMany({ orderBy: { name: "asc" }, select: { name: true, description: true, tokenKind: true } });
}

/** The names among `scopes` that the catalog does not know. */
export async function unknownScopes(scopes: string[]): Promise<string[]> {
  if (scopes.length === 0) return [];
  const known = await db().scope.findMany({ where: { name: { in: scopes } }, select: { name: true } });
  const knownNames = new Set(known.map((scope) => scope.name));
  return scopes.filter((scope) => !knownNames.has(scope));
}

const CATALOG_CACHE_MS = 10_000;
let cachedKinds: { loadedAt: number; kinds: Promise<Map<string, string>> } | undefined;

/**
 * Scope name → token kind, cached briefly: the token endpoint reads it on
 * every client credentials request, and the catalog rarely changes. A name
 * the cache does not know reloads it at once, so a scope just added works.
 */
export async function scopeKinds(names: readonly string[] = []): Promise<Map<string, string>> {
  const stale = !cachedKinds || Date.now() - cachedKinds.loadedAt > CATALOG_CACHE_MS;
  if (!stale) {
    const kinds = await cachedKinds!.kinds;
    if (names.every((name) => kinds.has(name))) return kinds;
  }
  const kinds = listScopes().then((scopes) => new Map(scopes.map((scope) => [scope.name, scope.tokenKind])));
  kinds.catch(() => (cachedKinds = undefined));
  cachedKinds = { loadedAt: Date.now(), kinds };
  return kinds;
}
