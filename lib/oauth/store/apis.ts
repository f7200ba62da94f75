/**
 * Storage of APIs (resource servers) and the scopes they define. The token
 * endpoint reads an API on every request, so lookups by identifier are
 * cached for a moment: a change made in this process is seen at once, other
 * instances see it within CACHE_MS.
 */
import { db, isUniqueViolation } from "@/lib/db";
import { recordedChange } from "@/lib/events";
import type { Api, ApiScope } from "@/lib/generated/prisma/client";
import { isStorable } from "@/lib/storable";

/** The portal's own /api/v1; its identifier follows ISSUER_URL, so the row leaves it null. */
export const PORTAL_API_ID = "portal";

export type StoredApi = Api & { scopes: ApiScope[] };

const CACHE_MS = 2000;
const holder = globalThis as unknown as { portalApiCache?: Map<string, { api: StoredApi; loadedAt: number }> };

/** The API whose identifier this is (null: the portal's own), cached briefly. */
export async function findApiByIdentifier(identifier: string | null): Promise<StoredApi | null> {
  if (identifier !== null && !isStorable(identifier)) return null;
  const key = identifier ?? "";
  const cache = (holder.portalApiCache ??= new Map());
  const cached = cache.get(key);
  if (cached && Date.now() - cached.loadedAt < CACHE_MS) return cached.api;
  const where = identifier === null ? { id: PORTAL_API_ID } : { identifier };
  const api = await db().api.findUnique({ where, include: { scopes: { orderBy: { name: "asc" } } } });
  // Unknown identifiers are not cached, so random ones cannot fill memory.
  if (api) cache.set(key, { api, loadedAt: Date.now() });
  else cache.delete(key);
  return api;
}

function forgetCachedApis(): void {
  holder.portalApiCache?.clear();
}

export function findApiById(id: string): Promise<StoredApi | null> {
  if (!isStorable(id)) return Promise.resolve(null);
  return db().api.findUnique({ where: { id }, include: { scopes: { orderBy: { name: "asc" } } } });
}

/** Every API with its scopes: the portal's first, then by name. */
export async function listApis(where: { ownerId?: string } = {}): Promise<StoredApi[]> {
  const apis = await db().api.findMany({ where, include: { scopes: { orderBy: { name: "asc" } } }, orderBy: { name: "asc" } });
  return apis.sort((a, b) => Number(b.id === PORTAL_API_ID) - Number(a.id === PORTAL_API_ID));
}

export type ApiRecord = Pick<
  Api,
  "name" | "identifier" | "accessTokenTtl" | "allowSkipConsent" | "allowOfflineAccess" | "offlineAccessScopeRequired"
>;
export type ScopeRecord = Pick<ApiScope, "name" | "description" | "tokenKind">;

export class IdentifierTakenError extends Error {
  override name = "IdentifierTakenError";
}

export async function createApi(id: string, api: ApiRecord, scopes: ScopeRecord[], ownerId: string | null): Promise<StoredApi> {
  try {
    return await recordedChange({ type: "api.created", userId: ownerId, details: { apiId: id, identifier: api.identifier } }, (tx) =>
      tx.api.create({ data: { id, ...api, ownerId, scopes: { create: scopes } }, include: { scopes: true } }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw new IdentifierTakenError();
    throw error;
  }
}

/**
 * Replaces an API's settings and its scopes, except those named in `kept`
 * (the identifier never changes: tokens carry it).
 */
export async function updateApi(
  id: string,
  api: Omit<ApiRecord, "identifier">,
  scopes: ScopeRecord[],
  actorId: string,
  kept: readonly string[] = [],
): Promise<void> {
  await recordedChange({ type: "api.updated", userId: actorId, details: { apiId: id } }, async (tx) => {
    await tx.api.update({ where: { id }, data: api });
    await tx.apiScope.deleteMany({ where: { apiId: id, name: { notIn: [...scopes.map((scope) => scope.name), ...kept] } } });
    for (const scope of scopes) {
      await tx.apiScope.upsert({
        where: { apiId_name: { apiId: id, name: scope.name } },
        create: { apiId: id, ...scope },
        update: { description: scope.description, tokenKind: scope.tokenKind },
      });
    }
  });
  forgetCachedApis();
}

/** Adds or edits one scope of an API. */
export async function saveApiScope(apiId: string, scope: ScopeRecord): Promise<void> {
  await db().apiScope.upsert({
    where: { apiId_name: { apiId, name: scope.name } },
    create: { apiId, ...scope },
    update: { description: scope.description, tokenKind: scope.tokenKind },
  });
  forgetCachedApis();
}

/** Deletes an API with its scopes and every grant for it (so their codes and refresh tokens too). */
export async function deleteApi(id: string, actorId: string): Promise<void> {
  await recordedChange({ type: "api.deleted", userId: actorId, details: { apiId: id } }, (tx) => tx.api.delete({ where: { id } }));
  forgetCachedApis();
}

/** Every scope of every API, by name. */
export function listAllApiScopes() {
  return db().apiScope.findMany({ include: { api: { select: { name: true } } }, orderBy: [{ name: "asc" }, { apiId: "asc" }] });
}

/** Every definition of these names: which API, and for which kind of token. */
export function scopeDefinitions(names: readonly string[]): Promise<{ name: string; tokenKind: string }[]> {
  return db().apiScope.findMany({ where: { name: { in: [...names] } }, select: { name: true, tokenKind: true } });
}

/** The ids of the APIs that define every one of these scopes. */
export async function apiIdsDefiningAll(names: readonly string[]): Promise<string[]> {
  const rows = await db().apiScope.findMany({ where: { name: { in: [...names] } }, select: { apiId: true, name: true } });
  const count = new Map<string, number>();
  for (const row of rows) count.set(row.apiId, (count.get(row.apiId) ?? 0) + 1);
  return [...count].filter(([, defined]) => defined === new Set(names).size).map(([apiId]) => apiId);
}
