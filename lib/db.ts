/** The single Prisma client, over better-sqlite3 (the embedded default database). */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { getConfig } from "@/lib/config";
import { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * WAL lets readers run beside the writer; synchronous=NORMAL is safe with WAL
 * and avoids an fsync per commit. busy_timeout makes a second process (the
 * CLI beside the server) wait for the write lock instead of failing.
 */
class TunedSQLiteAdapter extends PrismaBetterSQLite3 {
  override async connect() {
    const adapter = await super.connect();
    // The adapter opens transactions with a deferred BEGIN, which fails with
    // SQLITE_BUSY_SNAPSHOT when it reads, another process (the CLI) writes, and
    // it then tries to write. BEGIN IMMEDIATE takes the write lock up front, so
    // busy_timeout makes the other side wait instead. Transactions in this
    // process are already serialized by the adapter, so nothing is lost.
    const client = (adapter as unknown as { client: { prepare: (sql: string) => unknown } }).client;
    const prepare = client.prepare.bind(client);
    client.prepare = (sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql);
    for (const pragma of ["journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON", "busy_timeout = 5000"]) {
      await adapter.queryRaw({ sql: `PRAGMA ${pragma}`, args: [], argTypes: [] });
    }
    return adapter;
  }
}

function createClient() {
  return new PrismaClient({ adapter: new TunedSQLiteAdapter({ url: getConfig().databaseUrl }) });
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
