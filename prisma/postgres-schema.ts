/**
 * prisma/postgres/schema.prisma is derived from prisma/schema.prisma, the one
 * model: the same file with PostgreSQL as its provider and its own generated
 * client. prisma.config.ts writes it before every Prisma command that selects
 * PostgreSQL, so it is never edited or committed.
 *
 * Run directly to derive another copy (a schema before a change, for
 * `prisma migrate diff`): `npx tsx prisma/postgres-schema.ts <in> <out>`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const SQLITE_SCHEMA = "prisma/schema.prisma";
export const POSTGRES_SCHEMA = "prisma/postgres/schema.prisma";

const SUBSTITUTIONS: [RegExp, string][] = [
  [/(datasource db \{[^}]*provider\s*=\s*)"sqlite"/, '$1"postgresql"'],
  // The PostgreSQL schema sits one folder deeper, and its client is a second package.
  [/(generator client \{[^}]*output\s*=\s*)"\.\.\/lib\/generated\/prisma"/, '$1"../../lib/generated/prisma-postgres"'],
];

export function postgresSchemaOf(sqliteSchema: string): string {
  let schema = sqliteSchema;
  for (const [pattern, replacement] of SUBSTITUTIONS) {
    if (!pattern.test(schema)) throw new Error(`${SQLITE_SCHEMA} no longer matches ${pattern}: update prisma/postgres-schema.ts`);
    schema = schema.replace(pattern, replacement);
  }
  return `// Generated from ${SQLITE_SCHEMA} by prisma/postgres-schema.ts: edit that file instead.\n${schema}`;
}

/** Writes the PostgreSQL schema from the SQLite one (only when it changed, so file watchers stay quiet). */
export function writePostgresSchema(from = SQLITE_SCHEMA, to = POSTGRES_SCHEMA): void {
  const derived = postgresSchemaOf(readFileSync(from, "utf8"));
  let current: string | undefined;
  try {
    current = readFileSync(to, "utf8");
  } catch {
    current = undefined;
  }
  if (current !== derived) writeFileSync(to, derived);
}

// Run directly (prisma.config.ts imports it, and Prisma may load that as CommonJS: no import.meta).
if (process.argv[1]?.endsWith(`${path.sep}postgres-schema.ts`)) {
  const [from, to] = process.argv.slice(2);
  if (!from || !to) throw new Error("usage: npx tsx prisma/postgres-schema.ts <sqlite schema> <postgres schema>");
  writePostgresSchema(from, to);
}
