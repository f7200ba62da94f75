/**
 * The SQLite driver adapter for Prisma, shaped so that a lock held by another
 * process (the CLI, a backup) never freezes this one. better-sqlite3 is
 * synchronous: with a busy timeout it would wait for the lock inside the event
 * loop, and every request (health checks, JWKS, pages that only read) would
 * wait with it. Instead:
 * - reads that run outside a transaction use a second connection, which in
 *   WAL mode never waits for a writer;
 * - writes and transactions use the writer connection with no busy timeout;
 *   when the database is locked they wait asynchronously (timers, not the
 *   event loop) and try again, for up to BUSY_WAIT_MS;
 * - transactions start with BEGIN IMMEDIATE, taking the write lock up front,
 *   and writes outside a transaction wait for an open one in this process to
 *   finish, so they never land inside it;
 * - a write is reported done only once it is on disk, but the disk is not
 *   waited for inside the event loop: SQLite commits without syncing
 *   (synchronous = NORMAL, which in WAL mode never corrupts), and this class
 *   then syncs the WAL file on the thread pool, one sync for every commit
 *   made while the previous one ran. That is what synchronous = FULL
 *   guarantees, without blocking every request for the disk.
 * Prisma's own adapter does the statement mapping; this class decides where
 * each statement runs and when.
 */
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type { IsolationLevel, SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";
import { open, type FileHandle } from "node:fs/promises";
import type BetterSqlite3 from "better-sqlite3";
import type { SqlSession, SqlValue, Statement } from "@/lib/sql-statement";

/** How long a write waits for another process's lock before it fails. */
export const BUSY_WAIT_MS = 5000;

type Connection = SqlDriverAdapter & { client: BetterSqlite3.Database };

// NORMAL: commits do not wait for the disk inside the event loop; `durable()` makes them durable.
const PRAGMAS = ["journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"];

export class PortalSQLiteAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider = "sqlite";
  readonly adapterName = "portal-sqlite";

  /** The adapter Prisma opened last, for lib/sql.ts. */
  adapter?: PortalSQLiteAdapter;

  constructor(private readonly url: string) {}

  async connect(): Promise<SqlDriverAdapter> {
    // timeout 0: SQLite answers SQLITE_BUSY at once instead of spinning in the event loop.
    const open = async () => (await new PrismaBetterSQLite3({ url: this.url, timeout: 0 }).connect()) as Connection;
    const writer = await open();
    for (const pragma of PRAGMAS) writer.client.pragma(pragma);
    const reader = await open();
    reader.client.pragma("query_only = ON");
    this.adapter = new PortalSQLiteAdapter(writer, reader);
    return this.adapter;
  }
}

export class PortalSQLiteAdapter implements SqlDriverAdapter {
  readonly provider = "sqlite";
  readonly adapterName = "portal-sqlite";
  private readonly writeLock = new AsyncLock();
  private readonly readOnlyBySql = new Map<string, boolean>();
  private readonly readerStatements = new WeakMap<TemplateStringsArray, BetterSqlite3.Statement>();
  private readonly writerStatements = new WeakMap<TemplateStringsArray, BetterSqlite3.Statement>();

  constructor(
    private readonly writer: Connection,
    private readonly reader: Connection,
  ) {}

  queryRaw(query: SqlQuery) {
    if (this.isReadOnly(query.sql)) return whenNotBusy(() => this.reader.queryRaw(query));
    return this.write(() => this.writer.queryRaw(query));
  }

  executeRaw(query: SqlQuery) {
    if (this.isReadOnly(query.sql)) return whenNotBusy(() => this.reader.executeRaw(query));
    return this.write(() => this.writer.executeRaw(query));
  }

  executeScript(script: string) {
    return this.write(() => this.writer.executeScript(script));
  }

  /** A write outside a transaction: under the write lock, then on disk. */
  private async write<T>(work: () => T | Promise<T>): Promise<T> {
    const result = await this.writeLock.run(async () => whenNotBusy(work));
    await this.durable();
    return result;
  }

  private wal?: FileHandle;
  private syncing?: Promise<void>;
  private nextSync?: Promise<void>;

  /**
   * Resolves once everything committed so far is on disk (fdatasync of the
   * WAL, on the thread pool). A sync already running may have started before
   * the caller's commit, so callers who arrive meanwhile share the next one.
   */
  durable(): Promise<void> {
    if (!this.syncing) {
      this.syncing = this.syncWal().finally(() => (this.syncing = undefined));
      return this.syncing;
    }
    this.nextSync ??= this.syncing
      .catch(() => undefined)
      .then(() => {
        this.nextSync = undefined;
        return this.durable();
      });
    return this.nextSync;
  }

  private async syncWal(): Promise<void> {
    try {
      this.wal ??= await open(`${this.writer.client.name}-wal`, "r");
    } catch (error) {
      // No WAL file yet: nothing was written through it.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    await this.wal.datasync();
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== "SERIALIZABLE") throw new Error(`SQLite transactions are serializable, not ${isolationLevel}`);
    const release = await this.writeLock.acquire();
    try {
      await whenNotBusy(() => this.writer.client.prepare("BEGIN IMMEDIATE").run());
    } catch (error) {
      release();
      throw error;
    }
    const writer = this.writer;
    // Prisma sends COMMIT or ROLLBACK itself (usePhantomQuery: false), then calls these.
    return {
      provider: this.provider,
      adapterName: this.adapterName,
      options: { usePhantomQuery: false },
      queryRaw: (query) => writer.queryRaw(query),
      executeRaw: (query) => writer.executeRaw(query),
      commit: async () => {
        release();
        await this.durable();
      },
      rollback: async () => release(),
    };
  }

  /** Statements straight on the writer, for whoever holds the write lock. */
  private readonly onWriter: SqlSession = {
    rows: async <R>(statement: Statement) =>
      this.prepared(this.writer.client, this.writerStatements, statement)!.all(...sqliteValues(statement)) as R[],
    run: async (statement) => this.prepared(this.writer.client, this.writerStatements, statement)!.run(...sqliteValues(statement)).changes,
  };

  /**
   * lib/sql.ts outside a transaction: reads on the reader connection, writes
   * on the writer under the write lock (and then on disk), like Prisma's statements.
   */
  private readonly outsideTransactions: SqlSession = {
    rows: async <T>(statement: Statement) => {
      const reading = this.prepared(this.reader.client, this.readerStatements, statement, true);
      if (reading) return whenNotBusy(() => reading.all(...sqliteValues(statement)) as T[]);
      return this.write(() => this.onWriter.rows<T>(statement));
    },
    run: (statement) => this.write(() => this.onWriter.run(statement)),
  };

  session(): SqlSession {
    return this.outsideTransactions;
  }

  /**
   * lib/sql.ts's transactions, committed in groups: the transactions that
   * arrive while the writer or the disk is busy run together in one BEGIN IMMEDIATE …
   * COMMIT, each inside its own savepoint (one that throws is rolled back
   * alone), and each learns its outcome only once the COMMIT is on disk. They
   * take the write lock like Prisma's transactions, so the two kinds queue
   * instead of meeting on SQLite's lock.
   */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve, reject } as GroupMember);
      if (!this.groupScheduled) {
        this.groupScheduled = true;
        // After this turn of the event loop, so that requests read in the same turn join,
        // and after the disk sync under way, if any: the group would wait for the sync after
        // it anyway, and meanwhile more transactions join: larger groups, fewer syncs.
        const commit = () => setImmediate(() => void this.commitGroup());
        if (this.syncing) this.syncing.then(commit, commit);
        else commit();
      }
    });
  }

  private readonly waiting: GroupMember[] = [];
  private groupScheduled = false;

  private async commitGroup(): Promise<void> {
    const release = await this.writeLock.acquire();
    this.groupScheduled = false;
    // Everyone who arrived while the lock was held joins this group.
    const group = this.waiting.splice(0);
    const client = this.writer.client;
    const statement = (given: Statement) => this.prepared(client, this.writerStatements, given)!;
    const outcomes: Array<{ value: unknown } | { error: unknown }> = [];
    try {
      await whenNotBusy(() => statement(BEGIN_IMMEDIATE).run());
      for (const member of group) {
        statement(SAVEPOINT).run();
        try {
          outcomes.push({ value: await member.work(this.onWriter) });
          statement(RELEASE).run();
        } catch (error) {
          statement(ROLLBACK_TO).run();
          statement(RELEASE).run();
          outcomes.push({ error });
        }
      }
      statement(COMMIT).run();
    } catch (error) {
      if (client.inTransaction) statement(ROLLBACK).run();
      for (const member of group) member.reject(error);
      return;
    } finally {
      release();
    }
    try {
      await this.durable();
    } catch (error) {
      for (const member of group) member.reject(error);
      return;
    }
    group.forEach((member, index) => {
      const outcome = outcomes[index]!;
      if ("error" in outcome) member.reject(outcome.error);
      else member.resolve(outcome.value);
    });
  }

  /** A statement prepared once per connection; with `readOnly`, undefined when it writes. */
  private prepared(
    client: BetterSqlite3.Database,
    cache: WeakMap<TemplateStringsArray, BetterSqlite3.Statement>,
    statement: Statement,
    readOnly = false,
  ): BetterSqlite3.Statement | undefined {
    let prepared = cache.get(statement.strings);
    if (!prepared) {
      prepared = client.prepare(statement.strings.join("?"));
      cache.set(statement.strings, prepared);
    }
    return readOnly && !prepared.readonly ? undefined : prepared;
  }

  async dispose() {
    await this.wal?.close();
    this.wal = undefined;
    await this.reader.dispose();
    await this.writer.dispose();
  }

  /** Whether SQLite itself calls the statement read-only (a SELECT, not an INSERT … RETURNING). */
  private isReadOnly(sql: string): boolean {
    let readOnly = this.readOnlyBySql.get(sql);
    if (readOnly === undefined) {
      try {
        readOnly = this.reader.client.prepare(sql).readonly;
      } catch {
        readOnly = false; // let the writer report the error
      }
      // Prisma's statements are a small, fixed set of shapes; raw ones could be many.
      if (this.readOnlyBySql.size >= 2000) this.readOnlyBySql.clear();
      this.readOnlyBySql.set(sql, readOnly);
    }
    return readOnly;
  }
}

type GroupMember = { work: (session: SqlSession) => Promise<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };

const BEGIN_IMMEDIATE = statementOf`BEGIN IMMEDIATE`;
const COMMIT = statementOf`COMMIT`;
const ROLLBACK = statementOf`ROLLBACK`;
const SAVEPOINT = statementOf`SAVEPOINT member`;
const RELEASE = statementOf`RELEASE member`;
const ROLLBACK_TO = statementOf`ROLLBACK TO member`;

function statementOf(strings: TemplateStringsArray): Statement {
  return { strings, values: [] };
}

/** Values as Prisma's adapter stores them: dates as ISO text with "+00:00", booleans as 0 or 1. */
function sqliteValues(statement: Statement): unknown[] {
  return statement.values.map((value: SqlValue) => {
    if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
    if (typeof value === "boolean") return value ? 1 : 0;
    return value;
  });
}

function isBusy(error: unknown): boolean {
  const { code, cause } = error as { code?: unknown; cause?: { originalCode?: unknown } };
  const sqliteCode = typeof code === "string" ? code : cause?.originalCode;
  return typeof sqliteCode === "string" && (sqliteCode.startsWith("SQLITE_BUSY") || sqliteCode.startsWith("SQLITE_LOCKED"));
}

/** Runs `work`, and while the database is locked by another process, waits on a timer and tries again. */
export async function whenNotBusy<T>(work: () => T | Promise<T>, waitMs = BUSY_WAIT_MS): Promise<T> {
  const deadline = Date.now() + waitMs;
  // Another worker's commit holds the lock for a fraction of a millisecond: try again
  // after the event loop's next turn at first, then back off to longer waits.
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      const delay = attempt < 8 ? 0 : Math.min(2 ** (attempt - 8), 50);
      if (!isBusy(error) || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => (delay === 0 ? setImmediate(resolve) : setTimeout(resolve, delay)));
    }
  }
}

/** A FIFO lock for async work: one holder at a time. */
class AsyncLock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => released);
    return acquired;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
