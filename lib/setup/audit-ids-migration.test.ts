/**
 * The migration that lists the audit log by id (20261124000000_audit_log_by_id)
 * on a database that has events from before ids were time-ordered: each old
 * event gets a version 7 id made from its own time, and each app the time of
 * its last secret rotation. Run on SQLite, and on PostgreSQL in a schema of
 * its own where one is at hand (`npm run test:postgres`).
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { timeOrderedId } from "@/lib/crypto";
import { connectPostgres } from "./migrate";

const MIGRATION = "20261124000000_audit_log_by_id";

/** The SQL of each migration up to (`before`) or exactly `MIGRATION`. */
function migrations(root: string, which: "before" | "this"): string[] {
  return readdirSync(root)
    .filter((name) => (which === "before" ? name < MIGRATION : name === MIGRATION))
    .sort()
    .map((name) => readFileSync(path.join(root, name, "migration.sql"), "utf8"));
}

const time = Date.parse("2026-11-20T10:11:12.345Z");
const legacyId = "3f0c9a6e-1b2d-4c3e-9f8a-0123456789ab";
const expectedId = `${time.toString(16).padStart(12, "0").slice(0, 8)}-${time.toString(16).padStart(12, "0").slice(8)}-7c3e-9f8a-0123456789ab`;

describe(`the migration ${MIGRATION}`, () => {
  it("gives events with random ids a time-ordered id from their own time, and each app its last rotation (SQLite)", () => {
    const root = mkdtempSync(path.join(tmpdir(), "portal-audit-ids-"));
    const sqlite = new Database(path.join(root, "old.db"));
    try {
      for (const sql of migrations("prisma/migrations", "before")) sqlite.exec(sql);
      const current = timeOrderedId(time);
      const insert = sqlite.prepare(`INSERT INTO "AuditEvent" ("id", "type", "clientId", "createdAt") VALUES (?, ?, ?, ?)`);
      // Dates as the portal's adapter writes them (ISO text), and as integers (milliseconds), which older writers used.
      insert.run(legacyId, "client.secret_rotated", "app-1", "2026-11-20T10:11:12.345+00:00");
      insert.run("0b1e0000-0000-4000-8000-000000000001", "token.issued", "app-1", time + 1);
      insert.run(current, "token.issued", "app-1", "2026-11-20T10:11:12.345+00:00");
      sqlite
        .prepare(
          `INSERT INTO "Client" ("id", "name", "isConfidential", "grantTypes", "scopes", "createdAt", "updatedAt") VALUES ('app-1', 'App', 1, '', '', 0, 0), ('app-2', 'Other', 1, '', '', 0, 0)`,
        )
        .run();

      for (const sql of migrations("prisma/migrations", "this")) sqlite.exec(sql);

      const ids = (sqlite.prepare(`SELECT "id" FROM "AuditEvent" ORDER BY "id"`).all() as { id: string }[]).map((row) => row.id);
      // Sorted by id, the events are in the order of their times (two of one millisecond in either order).
      expect(ids.slice(0, 2).sort()).toEqual([expectedId, current].sort());
      expect(ids[2]).toBe(
        `${(time + 1).toString(16).padStart(12, "0").slice(0, 8)}-${(time + 1).toString(16).padStart(12, "0").slice(8)}-7000-8000-000000000001`,
      );
      const rotated = sqlite.prepare(`SELECT "id", "secretRotatedAt" FROM "Client" ORDER BY "id"`).all();
      expect(rotated).toEqual([
        { id: "app-1", secretRotatedAt: "2026-11-20T10:11:12.345+00:00" },
        { id: "app-2", secretRotatedAt: null },
      ]);
    } finally {
      sqlite.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it.skipIf(getConfig().database.provider !== "postgresql")("does the same on PostgreSQL", async () => {
    const client = await connectPostgres(getConfig().databaseUrl);
    const schema = `audit_ids_${randomUUID().slice(0, 8)}`;
    try {
      await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
      for (const sql of migrations("prisma/postgres/migrations", "before")) await client.query(sql);
      await client.query(
        `INSERT INTO "AuditEvent" ("id", "type", "clientId", "createdAt") VALUES ($1, 'client.secret_rotated', 'app-1', '2026-11-20 10:11:12.345')`,
        [legacyId],
      );
      await client.query(
        `INSERT INTO "Client" ("id", "name", "isConfidential", "grantTypes", "scopes", "updatedAt") VALUES ('app-1', 'App', true, '', '', now())`,
      );
      for (const sql of migrations("prisma/postgres/migrations", "this")) await client.query(sql);
      expect((await client.query(`SELECT "id" FROM "AuditEvent"`)).rows).toEqual([{ id: expectedId }]);
      const rotated = (await client.query<{ at: Date }>(`SELECT "secretRotatedAt" AS "at" FROM "Client"`)).rows[0]!.at;
      expect(rotated.toISOString()).toBe("2026-11-20T10:11:12.345Z");
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
