/**
 * The single Prisma client: SQLite (the embedded default) or PostgreSQL,
 * chosen by DATABASE_URL. The two generated clients describe one model
 * (prisma/schema.prisma and prisma/postgres/schema.prisma), so the rest of
 * the code uses one type, the SQLite client's.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { getConfig } from "@/lib/config";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/prisma-postgres/client";
import { BUSY_WAIT_MS, PortalSQLiteAdapterFactory } from "@/lib/sqlite-adapter";

function createClient() {
  const { databaseUrl, database } = getConfig();
  if (database.provider === "postgresql") {
    const adapter = new PrismaPg({
      connectionString: databaseUrl,
      max: database.poolSize,
      // Nothing waits past the statement timeout: not a query, not a connection.
      statement_timeout: database.statementTimeoutMs,
      connectionTimeoutMillis: database.statementTimeoutMs,
      application_name: "identity-portal",
    });
    return new PostgresPrismaClient({ adapter, transactionOptions: { maxWait: database.statementTimeoutMs, timeout: 2 * database.statementTimeoutMs } }) as unknown as PrismaClient;
  }
  return new PrismaClient({
    adapter: new PortalSQLiteAdapterFactory(databaseUrl),
    // Starting a transaction may wait for another process's write lock (lib/sqlite-adapter.ts).
    transactionOptions: { maxWait: BUSY_WAIT_MS + 2000 },
  });
}

export type Database = PrismaClient;

// One client per process, kept across hot reloads in development.
const holder = globalThis as unknown as { portalDb?: Database };

export function db(): Database {
  holder.portalDb ??= createClient();
  return holder.portalDb;
}

/**
 * Serializes transactions that take the same key, until they end: a
 * transaction-scoped advisory lock on PostgreSQL. SQLite needs none, since its
 * transactions take the one write lock up front (lib/sqlite-adapter.ts).
 * For read-then-write steps that a conditional statement cannot express
 * (finding or creating a person's grant and merging scopes into it).
 */
export async function lockForTransaction(tx: Pick<Database, "$executeRaw">, key: string): Promise<void> {
  if (getConfig().database.provider !== "postgresql") return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

/** A `contains` filter that ignores case on both databases (SQLite's LIKE already does, for ASCII). */
export function insensitive(): object {
  return getConfig().database.provider === "postgresql" ? { mode: "insensitive" } : {};
}

export async function closeDb(): Promise<void> {
  await holder.portalDb?.$disconnect();
  holder.portalDb = undefined;
}
