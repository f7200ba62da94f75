/**
 * The single Prisma client: SQLite (the embedded default) or PostgreSQL,
 * chosen by DATABASE_URL. The two generated clients describe one model
 * (prisma/schema.prisma; PostgreSQL's schema is derived from it), so the
 * rest of the code uses one type, the SQLite client's.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { getConfig } from "@/lib/config";
import { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/prisma-postgres/client";
import { metrics } from "@/lib/metrics";
import { BUSY_WAIT_MS, PortalSQLiteAdapterFactory, type PortalSQLiteAdapter } from "@/lib/sqlite-adapter";

/** A write refused because a unique key (an id, an email, a marker row) is taken: usually another request or instance got there first. */
export function isUniqueViolation(error: unknown): boolean {
  // Both generated clients share one runtime, so one error class serves both databases.
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Runs a create that a unique key makes single-use: true when this call wrote the row, false when it was there already. */
export async function createdOnce(create: Promise<unknown>): Promise<boolean> {
  try {
    await create;
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** The connections under the client, for the statements lib/sql.ts runs on the driver itself. */
type Connections = { provider: "sqlite"; factory: PortalSQLiteAdapterFactory } | { provider: "postgresql"; pool: pg.Pool };
export type DatabaseDriver = { provider: "sqlite"; adapter: PortalSQLiteAdapter } | { provider: "postgresql"; pool: pg.Pool };

function createClient(): { client: PrismaClient; connections: Connections } {
  const { databaseUrl, database } = getConfig();
  if (database.provider === "postgresql") {
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: database.poolSize,
      // Nothing waits past the statement timeout: not a query, not a connection.
      statement_timeout: database.statementTimeoutMs,
      connectionTimeoutMillis: database.statementTimeoutMs,
      application_name: "identity-portal",
    });
    // An idle connection the server dropped (a restart) is discarded by the pool; this only keeps the error from going unheard.
    pool.on("error", (error) => console.warn("database connection lost:", error.message));
    metrics().poolStats.read = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    const adapter = new PrismaPg(pool, { disposeExternalPool: true });
    const client = new PostgresPrismaClient({
      adapter,
      transactionOptions: { maxWait: database.statementTimeoutMs, timeout: 2 * database.statementTimeoutMs },
    }) as unknown as PrismaClient;
    return { client, connections: { provider: "postgresql", pool } };
  }
  const factory = new PortalSQLiteAdapterFactory(databaseUrl);
  const client = new PrismaClient({
    adapter: factory,
    // Starting a transaction may wait for another process's write lock (lib/sqlite-adapter.ts).
    transactionOptions: { maxWait: BUSY_WAIT_MS + 2000 },
  });
  return { client, connections: { provider: "sqlite", factory } };
}

export type Database = PrismaClient;

// One client per process, kept across hot reloads in development.
const holder = globalThis as unknown as { portalDatabase?: ReturnType<typeof createClient> };

export function db(): Database {
  holder.portalDatabase ??= createClient();
  return holder.portalDatabase.client;
}

export async function databaseDriver(): Promise<DatabaseDriver> {
  const client = db();
  const { connections } = holder.portalDatabase!;
  if (connections.provider === "postgresql") return connections;
  // Prisma opens the adapter on its first query.
  if (!connections.factory.adapter) await client.$connect();
  return { provider: "sqlite", adapter: connections.factory.adapter! };
}

const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);
const UNAVAILABLE_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "TooManyConnections",
  "SocketTimeout",
  "TlsConnectionError",
]);
// PostgreSQL: connection exceptions (08…), shutting down or starting (57P01–57P03), statement timeout (57014).
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|57014)$/;
const UNAVAILABLE_SYSTEM = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "SQLITE_BUSY"]);

/**
 * Whether an error means "the database is not answering now" (down,
 * restarting, out of connections, over its statement timeout, or locked past
 * the wait) rather than a fault in the request or the code: the caller then
 * answers 503 with Retry-After, and the next request may well succeed.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const { code, kind, originalCode, cause, meta } = current as {
      code?: unknown;
      kind?: unknown;
      originalCode?: unknown;
      cause?: unknown;
      meta?: { driverAdapterError?: unknown };
    };
    for (const value of [code, originalCode]) {
      if (typeof value !== "string") continue;
      if (UNAVAILABLE_PRISMA_CODES.has(value) || UNAVAILABLE_SQLSTATE.test(value) || UNAVAILABLE_SYSTEM.has(value)) return true;
    }
    if (typeof kind === "string" && UNAVAILABLE_KINDS.has(kind)) return true;
    if (
      typeof (current as Error).message === "string" &&
      /terminating connection|Connection terminated|the database system is (starting up|shutting down)/.test((current as Error).message)
    )
      return true;
    pending.push(cause, meta?.driverAdapterError);
  }
  return false;
}

/** Text as the admins' searches match it (the searchName columns, and what is searched for): in lower case. */
export function searchNameOf(text: string): string {
  return text.toLowerCase();
}

/**
 * Text that starts with `prefix`, in a form an index serves: on SQLite a
 * range (its LIKE ignores case, so an ordinary index cannot serve it); on
 * PostgreSQL `LIKE 'prefix%'`, which an index serves under the C collation
 * and which stays exact under any other (where a range would not).
 */
export function startingWith(prefix: string): { gte: string; lt: string } | { startsWith: string } {
  // Prisma passes the text to LIKE as it is: \ (PostgreSQL's escape character) keeps % and _ from being wildcards.
  if (getConfig().database.provider === "postgresql" || !prefix) return { startsWith: prefix.replace(/[\\%_]/g, "\\$&") };
  // SQLite compares text byte by byte, in code-point order: the range ends at the prefix with its last character one higher.
  const characters = Array.from(prefix);
  const last = characters.pop()!.codePointAt(0)!;
  return { gte: prefix, lt: characters.join("") + String.fromCodePoint(Math.min(last + 1, 0x10ffff)) };
}

export async function closeDb(): Promise<void> {
  await holder.portalDatabase?.client.$disconnect();
  holder.portalDatabase = undefined;
}
