/**
 * The migrations of wave 3's first changes, on a database written before
 * them: apps pinned to client_secret_basic by default take their secret
 * either way (dynamically registered ones keep what they asked for); apps
 * keep the machine access they had where one person holds both sides, an
 * admin's app keeps its management scopes as a grant from that admin, and
 * management scopes on anyone else's app are gone. Run on SQLite, and on
 * PostgreSQL in a schema of its own where one is at hand.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { connectPostgres } from "./migrate";

const FIRST = "20261207000000_forgiving_client_defaults";
const LAST = "20261207000100_client_grants";

function migrations(root: string, which: "before" | "these"): string[] {
  return readdirSync(root)
    .filter((name) => (which === "before" ? name < FIRST : name >= FIRST && name <= LAST))
    .sort()
    .map((name) => readFileSync(path.join(root, name, "migration.sql"), "utf8"));
}

/** Rows as the previous release wrote them; `yes` is the database's true. */
function fixture(yes: string, now: string): string[] {
  const client = (id: string, owner: string | null, method: string, grants: string, scopes: string, via: string | null = null) =>
    `INSERT INTO "Client" ("id", "name", "ownerId", "isConfidential", "tokenEndpointAuthMethod", "grantTypes", "scopes", "registeredVia", "createdAt", "updatedAt")
     VALUES ('${id}', '${id}', ${owner ? `'${owner}'` : "NULL"}, ${yes}, '${method}', '${grants}', '${scopes}', ${via ? `'${via}'` : "NULL"}, ${now}, ${now})`;
  return [
    `INSERT INTO "User" ("id", "email", "passwordHash", "isAdmin", "createdAt", "updatedAt") VALUES ('admin', 'admin@example.com', 'x', ${yes}, ${now}, ${now})`,
    `INSERT INTO "User" ("id", "email", "passwordHash", "createdAt", "updatedAt") VALUES ('dev', 'dev@example.com', 'x', ${now}, ${now})`,
    `INSERT INTO "User" ("id", "email", "passwordHash", "createdAt", "updatedAt") VALUES ('other', 'other@example.com', 'x', ${now}, ${now})`,
    `INSERT INTO "Api" ("id", "name", "identifier", "ownerId", "createdAt", "updatedAt") VALUES ('reports', 'Reports', 'https://reports.example', 'dev', ${now}, ${now})`,
    `INSERT INTO "Api" ("id", "name", "identifier", "ownerId", "createdAt", "updatedAt") VALUES ('billing', 'Billing', 'https://billing.example', 'other', ${now}, ${now})`,
    `INSERT INTO "ApiScope" ("apiId", "name", "description", "tokenKind", "createdAt") VALUES ('reports', 'reports.read', 'Read', 'any', ${now}), ('reports', 'reports.mine', 'Mine', 'user', ${now}), ('billing', 'billing.read', 'Read', 'any', ${now})`,
    client("default-basic", "dev", "client_secret_basic", "authorization_code refresh_token", "openid"),
    client("chosen-post", "dev", "client_secret_post", "authorization_code", "openid"),
    client("registered-basic", null, "client_secret_basic", "authorization_code", "openid", "token"),
    client("dev-machine", "dev", "client_secret_basic", "client_credentials", "reports.read reports.mine billing.read admin.users"),
    client("admin-machine", "admin", "client_secret_basic", "client_credentials", "openid admin.users admin.audit"),
  ];
}

type Row = Record<string, unknown>;

function expectMigrated(clients: Row[], grants: Row[]) {
  const method = Object.fromEntries(clients.map((row) => [row.id, row.tokenEndpointAuthMethod]));
  expect(method).toMatchObject({
    "default-basic": "client_secret",
    "chosen-post": "client_secret_post",
    "registered-basic": "client_secret_basic",
    "dev-machine": "client_secret",
  });
  expect(clients.every((row) => row.anyUserScope === false || row.anyUserScope === 0)).toBe(true);
  const scopes = Object.fromEntries(clients.map((row) => [row.id, row.scopes]));
  expect(scopes).toMatchObject({ "dev-machine": "reports.read reports.mine billing.read", "admin-machine": "openid" });
  expect(grants.map((row) => `${row.clientId} ${row.apiId} ${row.scopes} ${row.grantedById}`).sort()).toEqual([
    "admin-machine portal admin.audit admin.users admin",
    "dev-machine reports reports.read dev",
  ]);
}

describe(`the migrations ${FIRST} and ${LAST}`, () => {
  it("keep the owners' choices and the machine access one person held on both sides (SQLite)", () => {
    const root = mkdtempSync(path.join(tmpdir(), "portal-client-grants-"));
    const sqlite = new Database(path.join(root, "old.db"));
    try {
      for (const sql of migrations("prisma/migrations", "before")) sqlite.exec(sql);
      for (const sql of fixture("1", "0")) sqlite.exec(sql);
      for (const sql of migrations("prisma/migrations", "these")) sqlite.exec(sql);
      const grants = sqlite.prepare(`SELECT "clientId", "apiId", "scopes", "grantedById" FROM "ClientGrant"`).all() as Row[];
      // group_concat's order is the database's; compare as sets.
      for (const grant of grants) grant.scopes = String(grant.scopes).split(" ").sort().join(" ");
      expectMigrated(
        sqlite.prepare(`SELECT "id", "tokenEndpointAuthMethod", "scopes", "anyUserScope" FROM "Client"`).all() as Row[],
        grants,
      );
    } finally {
      sqlite.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it.skipIf(getConfig().database.provider !== "postgresql")("do the same on PostgreSQL", async () => {
    const client = await connectPostgres(getConfig().databaseUrl);
    const schema = `client_grants_${randomUUID().slice(0, 8)}`;
    try {
      await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
      for (const sql of migrations("prisma/postgres/migrations", "before")) await client.query(sql);
      for (const sql of fixture("true", "now()")) await client.query(sql);
      for (const sql of migrations("prisma/postgres/migrations", "these")) await client.query(sql);
      const clients = (await client.query(`SELECT "id", "tokenEndpointAuthMethod", "scopes", "anyUserScope" FROM "Client"`)).rows as Row[];
      const grants = (await client.query(`SELECT "clientId", "apiId", "scopes", "grantedById" FROM "ClientGrant"`)).rows as Row[];
      expectMigrated(clients, grants);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
