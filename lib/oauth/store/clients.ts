/**
 * Clients as the token endpoint reads them, cached for a moment: every token
 * request authenticates a client, and its row rarely changes. A change made
 * in this process (dashboard, CLI helpers) forgets the entry at once; other
 * instances see it within CACHE_MS.
 */
import { db } from "@/lib/db";
import { isStorable } from "@/lib/storable";
import type { Client } from "@/lib/generated/prisma/client";

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
  const rows = await db().client.findMany({ where: { allowedOrigins: { contains: origin }, disabledAt: null }, select: { allowedOrigins: true }, take: 50 });
  return rows.some((row) => row.allowedOrigins.split(" ").includes(origin));
}
