/**
 * SQL on the database driver itself, for the few statements that apps call
 * at volume (code exchange, refresh, revocation, introspection, /api/v1):
 * there Prisma's cost per statement, even for raw queries, was most of the
 * request's CPU (README "Architecture"). Everything else uses Prisma.
 *
 * Statements are tagged templates, so values are always parameters, and as a
 * rule one text runs on both databases (a storage module may give PostgreSQL
 * one statement where SQLite needs two). They run on Prisma's own connections: on
 * SQLite the adapter's reader and writer, under its write lock
 * (lib/sqlite-adapter.ts), each statement prepared once; on PostgreSQL the
 * same pool, as named prepared statements. Like Prisma, only storage modules
 * call this.
 */
import { createHash } from "node:crypto";
import pg from "pg";
import { getConfig } from "@/lib/config";
import { databaseDriver } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { batched } from "@/lib/batched";
import type { Row, SqlSession, SqlValue, Statement } from "@/lib/sql-statement";

export type { Row, SqlSession, SqlValue, Statement } from "@/lib/sql-statement";

export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Statement {
  return { strings, values };
}

/** Statements outside a transaction (on SQLite, reads never wait for a writer). */
export async function sqlSession(): Promise<SqlSession> {
  const driver = await databaseDriver();
  if (driver.provider === "sqlite") return driver.adapter.session();
  return postgresSession(driver.pool);
}

/**
 * Runs `work` in one transaction: committed when it resolves, rolled back
 * when it throws. Keep it short and free of slow work: on SQLite it holds the
 * write lock.
 */
export async function sqlTransaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
  const driver = await databaseDriver();
  if (driver.provider === "sqlite") return driver.adapter.transaction(work);
  const client = await driver.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await work(postgresSession(client));
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackFailed: Error) => (broken = rollbackFailed));
    throw error;
  } finally {
    // A connection that could not even roll back is discarded, not reused.
    client.release(broken);
  }
}

/** The same statements inside a Prisma transaction, for rules shared with code that runs in one. */
export function prismaSession(tx: Pick<Prisma.TransactionClient, "$queryRawUnsafe" | "$executeRawUnsafe">): SqlSession {
  const text = (statement: Statement) => (isPostgres() ? postgresText(statement.strings) : statement.strings.join("?"));
  return {
    rows: <T>(statement: Statement) => tx.$queryRawUnsafe<T[]>(text(statement), ...statement.values),
    run: (statement) => tx.$executeRawUnsafe(text(statement), ...statement.values),
  };
}

/**
 * Serializes transactions that take the same key, until they end: a
 * transaction-scoped advisory lock on PostgreSQL. SQLite needs none, since its
 * transactions take the one write lock up front (lib/sqlite-adapter.ts).
 * For read-then-write steps that a conditional statement cannot express
 * (finding or creating a person's grant and merging scopes into it).
 */
export async function lockInTransaction(session: SqlSession, key: string): Promise<void> {
  if (isPostgres()) await session.run(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

export function databaseProvider(): "sqlite" | "postgresql" {
  return getConfig().database.provider;
}

const isPostgres = () => databaseProvider() === "postgresql";

// PostgreSQL ----------------------------------------------------------------

const postgresTexts = new WeakMap<TemplateStringsArray, { text: string; name: string }>();

function postgresText(strings: TemplateStringsArray): string {
  return postgresStatement(strings).text;
}

function postgresStatement(strings: TemplateStringsArray): { text: string; name: string } {
  let prepared = postgresTexts.get(strings);
  if (!prepared) {
    const text = strings.reduce((joined, part, index) => `${joined}$${index}${part}`);
    prepared = { text, name: `portal_${createHash("sha256").update(text).digest("hex").slice(0, 16)}` };
    postgresTexts.set(strings, prepared);
  }
  return prepared;
}

/** PostgreSQL values: dates as UTC text (the columns are timestamp without time zone, holding UTC, as Prisma writes them). */
function postgresValue(value: SqlValue): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

const TIMESTAMP_OID = 1114;
const postgresTypes = {
  getTypeParser: (oid: number, format?: "text" | "binary") => {
    if (oid === TIMESTAMP_OID) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format);
  },
} as pg.CustomTypesConfig;

function postgresSession(client: pg.Pool | pg.PoolClient): SqlSession {
  const query = (statement: Statement) => {
    const { text, name } = postgresStatement(statement.strings);
    return client.query({ name, text, values: statement.values.map(postgresValue), types: postgresTypes });
  };
  return {
    rows: async <T>(statement: Statement) => (await query(statement)).rows as T[],
    run: async (statement) => (await query(statement)).rowCount ?? 0,
  };
}

// Reading rows ----------------------------------------------------------------

/** A DATETIME column: SQLite returns Prisma's ISO text, PostgreSQL and Prisma a Date. */
export function dateOf(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}

export function optionalDateOf(value: unknown): Date | null {
  return value === null || value === undefined ? null : dateOf(value);
}

/** A BOOLEAN column: SQLite returns 0 or 1. */
export function booleanOf(value: unknown): boolean {
  return value === true || value === 1 || value === 1n;
}

/** For each key asked for, the row whose `column` holds it, or undefined (a batched lookup's answers, in order). */
export function rowsByKey(keys: readonly string[], column: string, rows: readonly Row[]): (Row | undefined)[] {
  const byKey = new Map(rows.map((row) => [row[column] as string, row]));
  return keys.map((key) => byKey.get(key));
}

/** A row with its DATETIME and BOOLEAN columns (named) as Prisma would return them. */
export function typedRow<T>(row: Row, columns: { dates?: readonly string[]; booleans?: readonly string[] }): T {
  const typed: Row = { ...row };
  for (const name of columns.dates ?? []) typed[name] = optionalDateOf(row[name]);
  for (const name of columns.booleans ?? []) typed[name] = booleanOf(row[name]);
  return typed as T;
}

// Statements assembled once -------------------------------------------------

/**
 * A statement whose text is built once, when the module loads (from a table's
 * declared columns or a shared condition), each `?` marking a value bound at
 * each call. The text is one object for the life of the process, so it is
 * prepared once, like a tagged template's.
 */
export function statementText(text: string): (...values: SqlValue[]) => Statement {
  const parts = text.split("?");
  const strings = Object.freeze(Object.assign(parts, { raw: [...parts] })) as unknown as TemplateStringsArray;
  return (...values) => ({ strings, values });
}

/** A written column's type, as PostgreSQL reads it from the JSON rows of a many-row insert (SQLite stores what it is given). */
export type ColumnType = "text" | "timestamp(3)" | "boolean" | "integer";

/**
 * A table's written columns, declared once; the statements of both databases
 * that write or read them are derived from the declaration.
 */
export function tableOf<R extends Record<string, SqlValue>>(name: string, columns: { readonly [K in keyof R]: ColumnType }) {
  const names = Object.keys(columns) as (keyof R & string)[];
  const list = names.map((column) => `"${column}"`).join(", ");
  const recordType = names.map((column) => `"${column}" ${columns[column]}`).join(", ");
  const insertOne = statementText(`INSERT INTO "${name}" (${list}) VALUES (${names.map(() => "?").join(", ")})`);
  const valuesOf = (row: R) => names.map((column) => row[column]!);
  const insertMany = statementText(`INSERT INTO "${name}" (${list}) SELECT * FROM json_to_recordset(?::json) AS r(${recordType})`);
  return {
    name,
    /** `"a", "b"`: the column list of an INSERT. */
    list,
    /** `"a" text, "b" timestamp(3)`: the record type of json_to_recordset. */
    recordType,
    /** `i."a", i."b"`: the columns, selected from an alias. */
    selectFrom: (alias: string) => names.map((column) => `${alias}."${column}"`).join(", "),
    /** The date and boolean columns: the table itself is `typedRow`'s second argument. */
    dates: names.filter((column) => columns[column].startsWith("timestamp")),
    booleans: names.filter((column) => columns[column] === "boolean"),
    /** The row's values in the declared order (for a statement built from `list`). */
    valuesOf,
    insertOne: (row: R) => insertOne(...valuesOf(row)),
    /** PostgreSQL: the rows as one JSON value. */
    insertMany: (rows: readonly R[]) => insertMany(JSON.stringify(rows)),
  };
}

export type Table<R extends Record<string, SqlValue>> = ReturnType<typeof tableOf<R>>;

/**
 * Writes rows of a declared table: on PostgreSQL one statement for them all
 * (each statement is a round trip; dates travel as ISO text, which a
 * timestamp without time zone takes as the UTC it is), on SQLite one prepared
 * insert each (microseconds in-process).
 */
export async function insertRows<R extends Record<string, SqlValue>>(
  session: SqlSession,
  table: Table<R>,
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  if (!isPostgres()) {
    for (const row of rows) await session.run(table.insertOne(row));
    return;
  }
  await session.run(table.insertMany(rows));
}

/**
 * Rows by a unique key (`column` of the table `select` names as `alias`), for
 * lookups at volume: on PostgreSQL the lookups of a moment share one
 * statement (lib/batched.ts; each statement is a round trip), on SQLite each
 * is a read on the reader connection (microseconds in-process).
 */
export function lookup(select: string, alias: string, column: string): (key: string) => Promise<Row | undefined> {
  const one = statementText(`${select} WHERE ${alias}."${column}" = ?`);
  // = ANY (ARRAY(...)), not IN (SELECT ...): planned as an index lookup for any number of keys (lib/oauth/store/query-plans.test.ts).
  const many = statementText(`${select} WHERE ${alias}."${column}" = ANY (ARRAY(SELECT json_array_elements_text(?::json)))`);
  const together = batched(async (keys: string[]) => rowsByKey(keys, column, await (await sqlSession()).rows(many(JSON.stringify(keys)))));
  return async (key) => (isPostgres() ? together(key) : (await (await sqlSession()).rows(one(key)))[0]);
}
