// Prisma CLI configuration: the JavaScript schema engine over a driver
// adapter, so `prisma generate` and `prisma migrate` work without downloading
// a native engine. One schema describes the model, prisma/schema.prisma
// (SQLite, the embedded default); PRISMA_SCHEMA=postgres, or a postgres
// DATABASE_URL, selects PostgreSQL, whose schema is derived from it here
// (prisma/postgres-schema.ts). The database URL comes from lib/config, like
// the server's.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { getConfig } from "./lib/config";
import { POSTGRES_SCHEMA, writePostgresSchema } from "./prisma/postgres-schema";

const postgres = process.env.PRISMA_SCHEMA === "postgres" || /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? "");

function config() {
  if (postgres) {
    writePostgresSchema();
    // `prisma generate` needs a URL of the right kind, not a server.
    const url = /^postgres(ql)?:/.test(process.env.DATABASE_URL ?? "") ? process.env.DATABASE_URL! : "postgresql://localhost/portal";
    process.env.DATABASE_URL = url;
    return defineConfig({
      schema: POSTGRES_SCHEMA,
      migrations: { path: "prisma/postgres/migrations" },
      experimental: { adapter: true },
      engine: "js",
      adapter: async () => new PrismaPg({ connectionString: url }),
    });
  }
  const databaseUrl = process.env.DATABASE_URL ? getConfig().databaseUrl : "file:./data/portal.db";
  // The schema's datasource reads DATABASE_URL; make sure it resolves.
  process.env.DATABASE_URL = databaseUrl;
  return defineConfig({
    schema: "prisma/schema.prisma",
    migrations: { path: "prisma/migrations" },
    experimental: { adapter: true },
    engine: "js",
    adapter: async () => new PrismaBetterSQLite3({ url: databaseUrl }),
  });
}

export default config();
