/**
 * Applies pending migrations, on SQLite or PostgreSQL.
 * - SQLite: `prisma migrate deploy` with Prisma's JavaScript schema engine
 *   (works offline), from prisma/migrations.
 * - PostgreSQL: the SQL files in prisma/postgres/migrations, each once, in
 *   order, all in one transaction under an advisory lock, so several instances
 *   starting together apply each migration exactly once (Prisma 6's schema
 *   engine cannot read PostgreSQL's catalog through the JavaScript adapter;
 *   see ../shared/toolchain.md). A migration changed after it was applied
 *   stops the start.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { ConfigError, getConfig } from "@/lib/config";

const SQLITE_MIGRATIONS = "prisma/migrations";
const POSTGRES_MIGRATIONS = "prisma/postgres/migrations";
const MIGRATIONS_TABLE = "_portal_migrations";
// Any fixed number: the key of the advisory lock every instance takes to migrate.
const MIGRATION_LOCK = 4_810_239;

/** Applies what is pending; returns the names of the migrations it applied. */
export async function migrateDatabase(): Promise<string[]> {
  const { databaseUrl, database } = getConfig();
  if (database.provider === "postgresql") return migratePostgres(databaseUrl);
  // Instances starting together take turns: the second finds the work done, instead of reading
  // (or seeding) the file while the first one's migration holds it.
  return withSqliteMigrationLock(databaseUrl, async () => {
    const pending = await pendingMigrations();
    // Prisma's engine cannot even look while another process has the file open, so it runs only when there is work.
    if (pending.length > 0) migrateSqlite(databaseUrl);
    return pending;
  });
}

/** How long an instance waits for another one's SQLite migration before its start fails. */
const MIGRATION_LOCK_WAIT_MS = 120_000;

/**
 * Runs `work` holding an exclusive lock that every instance on this SQLite
 * file takes for its migration: a transaction on a small database beside
 * it (`<file>.migrating`), which SQLite releases if the process dies.
 */
async function withSqliteMigrationLock<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  const file = databaseUrl.slice("file:".length);
  // better-sqlite3 creates the file, not its folder.
  try {
    mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration:\n  DATABASE_URL: cannot create the folder for ${databaseUrl} (${(error as Error).message})`,
    );
  }
  const lock = new Database(`${file}.migrating`, { timeout: MIGRATION_LOCK_WAIT_MS });
  try {
    lock.exec("BEGIN EXCLUSIVE");
    try {
      return await work();
    } finally {
      lock.exec("COMMIT");
    }
  } finally {
    lock.close();
  }
}

/** The migrations this code has that the database has not applied (for start-up and readiness). */
export async function pendingMigrations(): Promise<string[]> {
  const { databaseUrl, database } = getConfig();
  if (database.provider === "postgresql") {
    const client = await connectPostgres(databaseUrl);
    try {
      const table = await client.query(`SELECT to_regclass('"${MIGRATIONS_TABLE}"') AS name`);
      const applied = table.rows[0]?.name
        ? (await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`)).rows
        : [];
      const done = new Set(applied.map((row) => `${row.name} ${row.checksum}`));
      return postgresMigrations()
        .filter((migration) => !done.has(`${migration.name} ${migration.checksum}`))
        .map((migration) => migration.name);
    } finally {
      await client.end();
    }
  }
  const all = readdirSync(SQLITE_MIGRATIONS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const file = databaseUrl.slice("file:".length);
  if (!existsSync(file)) return all;
  const sqlite = new Database(file, { readonly: true, timeout: 1000 });
  try {
    const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    const applied = hasTable
      ? new Set(
          (
            sqlite
              .prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")
              .all() as { migration_name: string }[]
          ).map((row) => row.migration_name),
        )
      : new Set<string>();
    return all.filter((name) => !applied.has(name));
  } finally {
    sqlite.close();
  }
}

function migrateSqlite(databaseUrl: string): void {
  const prismaCli = path.resolve("node_modules/prisma/build/index.js");
  const result = spawnSync(process.execPath, [prismaCli, "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`Database migration failed:\n${result.stdout}${result.stderr}`);
}

type Migration = { name: string; sql: string; checksum: string };

function postgresMigrations(): Migration[] {
  return readdirSync(POSTGRES_MIGRATIONS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(POSTGRES_MIGRATIONS, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

/** The database named for people and logs: never the password. */
export function describeDatabase(databaseUrl: string): string {
  if (databaseUrl.startsWith("file:")) return databaseUrl.slice("file:".length);
  const url = new URL(databaseUrl);
  return `PostgreSQL at ${url.host}${url.pathname}`;
}

/** A client for one-off work (migrations, readiness), failing with a message that names DATABASE_URL. */
export async function connectPostgres(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: getConfig().database.statementTimeoutMs });
  try {
    await client.connect();
  } catch (error) {
    throw new ConfigError(
      `Invalid configuration:\n  DATABASE_URL: cannot connect to ${describeDatabase(databaseUrl)} (${(error as Error).message})`,
    );
  }
  return client;
}

async function migratePostgres(databaseUrl: string): Promise<string[]> {
  const client = await connectPostgres(databaseUrl);
  const applied: string[] = [];
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const done = new Map(
      (await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`)).rows.map((row) => [
        row.name,
        row.checksum,
      ]),
    );
    for (const migration of postgresMigrations()) {
      const checksum = done.get(migration.name);
      if (checksum === migration.checksum) continue;
      if (checksum !== undefined)
        throw new Error(`Migration ${migration.name} was changed after it was applied; restore it and add a new migration instead`);
      await client.query(migration.sql);
      await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum) VALUES ($1, $2)`, [migration.name, migration.checksum]);
      applied.push(migration.name);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return applied;
}
