/**
 * What a statement and the sessions that run it are: the types lib/sql.ts
 * builds on and the SQLite adapter implements (lib/sqlite-adapter.ts), kept
 * apart so that neither imports the other through lib/db.ts.
 */
export type SqlValue = string | number | boolean | Date | null;
export type Statement = { strings: TemplateStringsArray; values: readonly SqlValue[] };
export type Row = Record<string, unknown>;

/** Where statements run: outside a transaction, or inside one. */
export interface SqlSession {
  rows<T = Row>(statement: Statement): Promise<T[]>;
  /** Runs a statement that returns no rows; resolves with the number of rows it changed. */
  run(statement: Statement): Promise<number>;
}
