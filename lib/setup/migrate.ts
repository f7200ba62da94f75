/** Applies pending migrations with Prisma's JavaScript schema engine (works offline). */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { getConfig } from "@/lib/config";

export function migrateDatabase(): void {
  const { databaseUrl } = getConfig();
  // better-sqlite3 creates the file, not its folder.
  mkdirSync(path.dirname(databaseUrl.slice("file:".length)), { recursive: true });
  const prismaCli = path.resolve("node_modules/prisma/build/index.js");
  const result = spawnSync(process.execPath, [prismaCli, "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`Database migration failed:\n${result.stdout}${result.stderr}`);
  }
}
