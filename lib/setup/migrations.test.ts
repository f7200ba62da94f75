/**
 * SQLite and PostgreSQL describe the same model: the two Prisma schemas
 * differ only in their provider and output, and (where a PostgreSQL database
 * is at hand, as under `npm run test:postgres`) the two migration histories,
 * applied to empty databases, produce the same tables, columns, indexes and
 * foreign keys.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { postgresSchemaOf, SQLITE_SCHEMA } from "../../prisma/postgres-schema";
import { connectPostgres } from "./migrate";

type Shape = {
  columns: string[];
  indexes: string[];
  foreignKeys: string[];
};

const sqliteTypes: Record<string, string> = { TEXT: "text", DATETIME: "datetime", BOOLEAN: "boolean", INTEGER: "integer", REAL: "float" };
const postgresTypes: Record<string, string> = {
  text: "text",
  "timestamp without time zone": "datetime",
  boolean: "boolean",
  integer: "integer",
  "double precision": "float",
};

function sqliteShape(file: string): Record<string, Shape> {
  const sqlite = new Database(file, { readonly: true });
  const shape: Record<string, Shape> = {};
  const tables = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'")
    .all() as { name: string }[];
  for (const { name } of tables) {
    const columns = (sqlite.pragma(`table_info("${name}")`) as { name: string; type: string; notnull: number; pk: number }[]).map(
      (column) => `${column.name} ${sqliteTypes[column.type] ?? column.type} ${column.notnull || column.pk ? "not null" : "null"}`,
    );
    const indexes = (sqlite.pragma(`index_list("${name}")`) as { name: string; unique: number; origin: string }[]).map((index) => {
      const columnNames = (sqlite.pragma(`index_info("${index.name}")`) as { name: string }[]).map((column) => column.name);
      return `${index.origin === "pk" ? "primary" : index.unique ? "unique" : "index"} (${columnNames.join(", ")})`;
    });
    // A primary key on a rowid table has no index entry; add it as PostgreSQL lists it.
    const pk = (sqlite.pragma(`table_info("${name}")`) as { name: string; pk: number }[])
      .filter((column) => column.pk > 0)
      .sort((a, b) => a.pk - b.pk);
    if (pk.length > 0 && !indexes.some((index) => index.startsWith("primary")))
      indexes.push(`primary (${pk.map((column) => column.name).join(", ")})`);
    const foreignKeys = (
      sqlite.pragma(`foreign_key_list("${name}")`) as { table: string; from: string; to: string; on_delete: string }[]
    ).map((key) => `${key.from} -> ${key.table}.${key.to} on delete ${key.on_delete.toLowerCase()}`);
    shape[name] = { columns: columns.sort(), indexes: indexes.sort(), foreignKeys: foreignKeys.sort() };
  }
  sqlite.close();
  return shape;
}

async function postgresShape(databaseUrl: string): Promise<Record<string, Shape>> {
  const client = await connectPostgres(databaseUrl);
  try {
    const shape: Record<string, Shape> = {};
    const columns = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
      "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '\\_%'",
    );
    for (const row of columns.rows) {
      const table = (shape[row.table_name] ??= { columns: [], indexes: [], foreignKeys: [] });
      table.columns.push(
        `${row.column_name} ${postgresTypes[row.data_type] ?? row.data_type} ${row.is_nullable === "NO" ? "not null" : "null"}`,
      );
    }
    const indexes = await client.query<{ table_name: string; is_primary: boolean; is_unique: boolean; columns: string[] }>(`
      SELECT t.relname AS table_name, i.indisprimary AS is_primary, i.indisunique AS is_unique,
             array_agg(a.attname::text ORDER BY k.ordinality) AS columns
      FROM pg_index i
      JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE t.relname NOT LIKE '\\_%'
      GROUP BY t.relname, i.indexrelid, i.indisprimary, i.indisunique`);
    for (const row of indexes.rows) {
      shape[row.table_name]!.indexes.push(`${row.is_primary ? "primary" : row.is_unique ? "unique" : "index"} (${row.columns.join(", ")})`);
    }
    const keys = await client.query<{
      table_name: string;
      column_name: string;
      foreign_table: string;
      foreign_column: string;
      delete_rule: string;
    }>(`
      SELECT kcu.table_name, kcu.column_name, ccu.table_name AS foreign_table, ccu.column_name AS foreign_column, rc.delete_rule
      FROM information_schema.referential_constraints rc
      JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema
      JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = rc.unique_constraint_name AND ccu.constraint_schema = rc.unique_constraint_schema
      WHERE rc.constraint_schema = 'public'`);
    for (const row of keys.rows) {
      shape[row.table_name]!.foreignKeys.push(
        `${row.column_name} -> ${row.foreign_table}.${row.foreign_column} on delete ${row.delete_rule.toLowerCase()}`,
      );
    }
    for (const table of Object.values(shape)) {
      table.columns.sort();
      table.indexes.sort();
      table.foreignKeys.sort();
    }
    return shape;
  } finally {
    await client.end();
  }
}

describe("the SQLite and PostgreSQL models", () => {
  it("have one Prisma schema: PostgreSQL's is derived from SQLite's, with its provider and its client's folder", () => {
    const sqlite = readFileSync(SQLITE_SCHEMA, "utf8");
    const postgres = postgresSchemaOf(sqlite);
    const changed = postgres.split("\n").filter((line) => !sqlite.split("\n").includes(line));
    expect(changed).toEqual([
      expect.stringMatching(/^\/\/ Generated from prisma\/schema.prisma/),
      '  output       = "../../lib/generated/prisma-postgres"',
      '  provider = "postgresql"',
    ]);
    // A schema the derivation no longer understands stops it, rather than yielding a SQLite schema under the PostgreSQL name.
    expect(() => postgresSchemaOf(sqlite.replace('provider = "sqlite"', 'provider = "mysql"'))).toThrow(/no longer matches/);
  });

  it.skipIf(getConfig().database.provider !== "postgresql")(
    "have migrations that build the same tables, columns, indexes and foreign keys",
    async () => {
      const root = mkdtempSync(path.join(tmpdir(), "portal-drift-"));
      const sqliteFile = path.join(root, "drift.db");
      try {
        const result = spawnSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "migrate", "deploy"], {
          env: { ...process.env, DATABASE_URL: `file:${sqliteFile}`, PRISMA_SCHEMA: "" },
          encoding: "utf8",
        });
        expect(result.status, result.stderr).toBe(0);
        const sqlite = sqliteShape(sqliteFile);
        const postgres = await postgresShape(getConfig().databaseUrl);
        expect(Object.keys(postgres).sort()).toEqual(Object.keys(sqlite).sort());
        for (const table of Object.keys(sqlite)) expect(postgres[table], table).toEqual(sqlite[table]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  );
});
