/** Vitest global setup for unit tests: a migrated throw-away database for lib/ code that stores data. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { throwAwayDatabaseUrl, throwAwayEnv } from "./test-server";

let root: string | undefined;

export async function setup() {
  root = mkdtempSync(path.join(tmpdir(), "portal-unit-"));
  Object.assign(process.env, throwAwayEnv(root, 3999, await throwAwayDatabaseUrl(root)));
  const { migrateDatabase } = await import("@/lib/setup/migrate");
  await migrateDatabase();
}

export async function teardown() {
  if (root) rmSync(root, { recursive: true, force: true });
}
