// Prisma CLI configuration: the JavaScript schema engine over better-sqlite3,
// so `prisma migrate deploy` and `prisma generate` work without downloading
// a native engine. The database URL comes from lib/config, like the server's.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";
import { getConfig } from "./lib/config";

const databaseUrl = process.env.DATABASE_URL ? getConfig().databaseUrl : "file:./data/portal.db";
// The schema's datasource reads DATABASE_URL; make sure it resolves.
process.env.DATABASE_URL = databaseUrl;

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaBetterSQLite3({ url: databaseUrl }),
});
