/**
 * Apps' rows: every read and write of clients and their redirect URIs. Each
 * change is written with the audit event that records it, in one
 * transaction. The token endpoint reads clients through a cache held for a
 * moment (every token request authenticates a client, and its row rarely
 * changes): a change made in this process forgets the entry at once; other
 * instances see it within CACHE_MS.
 */
import { randomUUID } from "node:crypto";
import { db, searchNameOf, startingWith } from "@/lib/db";
import { recordedChange, type AuditEventInput } from "@/lib/events";
import { isStorable } from "@/lib/storable";
import type { Client, Prisma } from "@/lib/generated/prisma/client";

const CACHE_MS = 2000;
const holder = globalThis as unknown as { portalClientCache?: Map<string, { client: Client; loadedAt: number }> };

export async function findClientForAuthentication(id: string): Promise<Client | null> {
  if (!isStorable(id)) return null;
  const cache = (holder.portalClientCache ??= new Map());
  const cached = cache.get(id);
  if (cached && Date.now() - cached.loadedAt < CACHE_MS) return cached.client;
  const client = await db().client.findUnique({ where: { id } });
  // Unknown ids are not cached, so random ones cannot fill memory.
  if (client) cache.set(id, { client, loadedAt: Date.now() });
  else cache.delete(id);
  return client;
}

/** Call after changing a client (secret, grants, disabled), so this process stops using the old row. */
export function forgetCachedClient(id: string): void {
  holder.portalClientCache?.delete(id);
}

/** Whether discovery may list plain PKCE: some app is configured for it. */
export async function anyClientAllowsPlainPkce(): Promise<boolean> {
  return (await db().client.findFirst({ where: { allowPlainPkce: true }, select: { id: true } })) !== null;
}

/** Whether some app lists this web origin among its allowed origins (CORS). */
export async function anyClientAllowsOrigin(origin: string): Promise<boolean> {
  if (!isStorable(origin)) return false;
  // A substring match narrows the rows; the exact comparison is on the space-separated list.
  const rows = await db().client.findMany({
    where: { allowedOrigins: { contains: origin }, disabledAt: null },
    select: { allowedOrigins: true },
    take: 50,
  });
  return rows.some((row) => row.allowedOrigins.split(" ").includes(origin));
}

export type ClientWithRedirectUris = Client & { redirectUris: { uri: string }[] };

export async function findClient(id: string) {
  if (!isStorable(id)) return null;
  return db().client.findUnique({ where: { id }, include: { redirectUris: true } });
}

/** The apps a person registered, newest first. */
export function listClientsOwnedBy(userId: string) {
  return db().client.findMany({ where: { ownerId: userId }, include: { redirectUris: true }, orderBy: { createdAt: "desc" } });
}

export function createClient(
  event: AuditEventInput,
  data: Omit<Prisma.ClientUncheckedCreateInput, "redirectUris">,
  redirectUris: readonly string[],
): Promise<Client> {
  return recordedChange(event, (tx) =>
    tx.client.create({
      data: {
        ...data,
        searchName: searchNameOf(data.name),
        redirectUris: { create: redirectUris.map((uri) => ({ id: randomUUID(), uri })) },
      },
    }),
  );
}

/** Changes an app's row (and, when given, replaces its redirect URIs). */
export async function changeClient(
  id: string,
  event: AuditEventInput,
  data: Prisma.ClientUpdateInput,
  redirectUris?: readonly string[],
): Promise<void> {
  await recordedChange(event, async (tx) => {
    if (redirectUris) {
      await tx.redirectUri.deleteMany({ where: { clientId: id } });
      await tx.redirectUri.createMany({ data: redirectUris.map((uri) => ({ id: randomUUID(), clientId: id, uri })) });
    }
    await tx.client.update({
      where: { id },
      data: typeof data.name === "string" ? { ...data, searchName: searchNameOf(data.name) } : data,
    });
  });
  forgetCachedClient(id);
}

export async function addClientRedirectUri(clientId: string, uri: string, event: AuditEventInput): Promise<void> {
  await recordedChange(event, (tx) => tx.redirectUri.create({ data: { id: randomUUID(), clientId, uri } }));
}

export async function removeClientRedirectUri(clientId: string, uri: string, event: AuditEventInput): Promise<void> {
  await recordedChange(event, (tx) => tx.redirectUri.deleteMany({ where: { clientId, uri } }));
}

/** Deletes the app; its grants, codes and refresh tokens go with it (foreign keys). */
export async function deleteClientRow(id: string, event: AuditEventInput): Promise<void> {
  await recordedChange(event, (tx) => tx.client.delete({ where: { id } }));
  forgetCachedClient(id);
}

/** How many owners a search names by their email before it lets the list's order find their apps instead. */
const NAMED_OWNERS = 100;

/**
 * A page of apps whose name or owner's email starts with `search`, ignoring
 * case, or whose client_id it is (none: every app), with owner and redirect URIs.
 */
export async function findClients(search: string, page: Pick<Prisma.ClientFindManyArgs, "orderBy" | "take" | "cursor" | "skip">) {
  const include = { owner: { select: { email: true } }, redirectUris: true };
  if (!search) return db().client.findMany({ include, ...page });
  const prefix = searchNameOf(search);
  // A narrow search names its owners first, by their email's index, so that each part of the OR has an index (a join
  // inside it would read every app); a broad one leaves them to the list's order, in which its matches come soon.
  const owners = await db().user.findMany({ where: { email: startingWith(prefix) }, select: { id: true }, take: NAMED_OWNERS + 1 });
  const byOwner =
    owners.length > NAMED_OWNERS ? { owner: { email: startingWith(prefix) } } : { ownerId: { in: owners.map((owner) => owner.id) } };
  return db().client.findMany({ where: { OR: [{ id: search }, { searchName: startingWith(prefix) }, byOwner] }, include, ...page });
}

export async function countClients(): Promise<number> {
  return db().client.count();
}
