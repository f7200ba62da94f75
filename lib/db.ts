/** The single Prisma client, over SQLite (the embedded default database). */
import { getConfig } from "@/lib/config";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { BUSY_WAIT_MS, PortalSQLiteAdapterFactory } from "@/lib/sqlite-adapter";

function createClient() {
  return new PrismaClient({
    adapter: new PortalSQLiteAdapterFactory(getConfig().databaseUrl),
    // Starting a transaction may wait for another process's write lock (lib/sqlite-adapter.ts).
    transactionOptions: { maxWait: BUSY_WAIT_MS + 2000 },
  });
}

export type Database = ReturnType<typeof createClient>;

// One client per process, kept across hot reloads in development.
const holder = globalThis as unknown as { portalDb?: Database };

export function db(): Database {
  holder.portalDb ??= createClient();
  return holder.portalDb;
}

export async function closeDb(): Promise<void> {
  await holder.portalDb?.$disconnect();
  holder.portalDb = undefined;
}
