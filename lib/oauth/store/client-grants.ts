/**
 * Storage of client grants (machine-to-machine authorization). The token
 * endpoint reads one on every client-credentials request, so that lookup is
 * cached for a moment with its giver: a change made in this process is seen
 * at once, other instances see it (a grant removed, a giver no longer an
 * admin) within CACHE_MS.
 */
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";

const CACHE_MS = 2000;

/** A grant as the token endpoint checks it: its scopes, and whether its giver is still an active admin or the API's owner. */
export type StoredClientGrant = {
  scopes: string;
  giver: { id: string; isAdmin: boolean; disabled: boolean } | null;
};

type Entry = { grant: StoredClientGrant | null; loadedAt: number };
// On globalThis: the pages' bundle and the protocol routes load this module separately, and a change made
// through one (the dashboard) must be seen at once by the other (the token endpoint) in the same process.
const holder = globalThis as unknown as { portalClientGrantCache?: Map<string, Entry> };

function cache(): Map<string, Entry> {
  return (holder.portalClientGrantCache ??= new Map());
}

function forgetCachedGrants(): void {
  holder.portalClientGrantCache?.clear();
}

/** The app's grant on the API, or null; cached, absences too (the key is an authenticated app and a registered API, never a caller's free text). */
export async function findClientGrant(clientId: string, apiId: string): Promise<StoredClientGrant | null> {
  const key = `${clientId} ${apiId}`;
  const cached = cache().get(key);
  if (cached && Date.now() - cached.loadedAt < CACHE_MS) return cached.grant;
  const row = await db().clientGrant.findUnique({
    where: { clientId_apiId: { clientId, apiId } },
    select: { scopes: true, grantedBy: { select: { id: true, isAdmin: true, disabledAt: true } } },
  });
  const grant = row
    ? {
        scopes: row.scopes,
        giver: row.grantedBy ? { id: row.grantedBy.id, isAdmin: row.grantedBy.isAdmin, disabled: row.grantedBy.disabledAt !== null } : null,
      }
    : null;
  cache().set(key, { grant, loadedAt: Date.now() });
  return grant;
}

export type ClientGrantRow = {
  id: string;
  apiId: string;
  clientId: string;
  scopes: string;
  createdAt: Date;
  updatedAt: Date;
  api: { id: string; name: string; identifier: string | null };
  client: { id: string; name: string; ownerId: string | null };
  grantedBy: { id: string; email: string; isAdmin: boolean; disabledAt: Date | null } | null;
};

const rowShape = {
  id: true,
  apiId: true,
  clientId: true,
  scopes: true,
  createdAt: true,
  updatedAt: true,
  api: { select: { id: true, name: true, identifier: true } },
  client: { select: { id: true, name: true, ownerId: true } },
  grantedBy: { select: { id: true, email: true, isAdmin: true, disabledAt: true } },
} as const;

export function listGrantsOfApi(apiId: string): Promise<ClientGrantRow[]> {
  return db().clientGrant.findMany({ where: { apiId }, select: rowShape, orderBy: { createdAt: "asc" } });
}

export function listGrantsOfClient(clientId: string): Promise<ClientGrantRow[]> {
  return db().clientGrant.findMany({ where: { clientId }, select: rowShape, orderBy: { createdAt: "asc" } });
}

/** Gives (or replaces) the app's grant on the API. */
export async function saveClientGrant(grant: { apiId: string; clientId: string; scopes: string; grantedById: string }): Promise<void> {
  const { apiId, clientId, scopes, grantedById } = grant;
  await db().clientGrant.upsert({
    where: { clientId_apiId: { clientId, apiId } },
    create: { id: randomUUID(), apiId, clientId, scopes, grantedById },
    update: { scopes, grantedById },
  });
  forgetCachedGrants();
}

/** Removes the app's grant on the API; whether it had one. */
export async function deleteClientGrant(clientId: string, apiId: string): Promise<boolean> {
  const { count } = await db().clientGrant.deleteMany({ where: { apiId, clientId } });
  forgetCachedGrants();
  return count > 0;
}

/** Removes the grants these apps hold on the portal's own API; the apps that had one. */
export async function deletePortalGrantsOf(clientIds: string[], portalApiId: string): Promise<string[]> {
  const held = await db().clientGrant.findMany({ where: { clientId: { in: clientIds }, apiId: portalApiId }, select: { clientId: true } });
  await db().clientGrant.deleteMany({ where: { clientId: { in: clientIds }, apiId: portalApiId } });
  forgetCachedGrants();
  return held.map((row) => row.clientId);
}
