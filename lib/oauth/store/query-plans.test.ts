import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { findUserById } from "@/lib/accounts/users";
import { getConfig } from "@/lib/config";
import { isRevokedNow } from "@/lib/oauth/revocations";
import { personAndApp } from "./approved-codes.testing";
import { consume, findCode, findRefreshTokenWithUser, newRefreshToken } from "./tokens";

type Sent = { name?: string; text?: string; values?: unknown[] };

const TABLES_THAT_GROW = ["User", "Grant", "AuthorizationCode", "RefreshToken", "RevokedToken"];

/**
 * Every code exchange, refresh, introspection and /api/v1 call runs these
 * statements, each a named prepared statement that PostgreSQL soon plans once
 * for any values (a generic plan). A batched lookup written as
 * `IN (SELECT json_array_elements_text(…))` was planned as a scan of the whole
 * table, since the planner guesses 100 elements: milliseconds per request at
 * a few thousand rows, and growing with the table.
 */
describe.skipIf(getConfig().database.provider !== "postgresql")("the token paths' statements on PostgreSQL", () => {
  const explainer = new pg.Client({ connectionString: getConfig().databaseUrl });
  afterAll(() => explainer.end());

  it("use indexes, not scans of tables that grow, when planned for any values", async () => {
    const sent = await statementsOfTheTokenPaths();
    expect(sent.length).toBeGreaterThanOrEqual(4);

    await explainer.connect();
    await explainer.query("BEGIN");
    try {
      await fillTablesThatGrow(explainer, 20_000);
      await explainer.query("SET LOCAL plan_cache_mode = force_generic_plan");
      const scans: string[] = [];
      for (const [index, statement] of sent.entries()) {
        await explainer.query(`PREPARE plan_check_${index} AS ${statement.text}`);
        const args = (statement.values ?? []).map((value) => (value === null ? "NULL" : explainer.escapeLiteral(String(value))));
        const [{ "QUERY PLAN": plan }] = (
          await explainer.query(`EXPLAIN (FORMAT JSON) EXECUTE plan_check_${index}${args.length ? `(${args.join(", ")})` : ""}`)
        ).rows;
        for (const table of scannedTables(plan))
          if (TABLES_THAT_GROW.includes(table)) scans.push(`${table} in: ${statement.text!.replace(/\s+/g, " ").slice(0, 120)}`);
      }
      expect(scans).toEqual([]);
    } finally {
      await explainer.query("ROLLBACK");
    }
  });
});

/** The named statements a code exchange, a refresh, a revocation check and a user lookup send. */
async function statementsOfTheTokenPaths(): Promise<Sent[]> {
  const { user, issue } = await personAndApp("Plans");
  const code = await issue();

  const sent = new Map<string, Sent>();
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
    const statement = config as Sent;
    if (typeof config === "object" && statement.name && statement.text) sent.set(statement.name, statement);
    return (query as (...args: unknown[]) => unknown).call(this, config, ...rest);
  } as typeof query;
  try {
    const found = (await findCode(code))!;
    const record = {
      familyId: found.id,
      parentId: null,
      grantId: found.grantId,
      clientId: found.clientId,
      userId: found.userId,
      scopes: found.scopes,
      audience: found.audience,
      authTime: found.authTime,
      authorizationCodeId: found.id,
      dpopJkt: null,
      sid: null,
      amr: null,
    };
    const first = newRefreshToken(record, undefined);
    expect(await consume({ code: found.id }, first)).toEqual({ won: true, grantValid: true });
    const token = (await findRefreshTokenWithUser(first.value))!;
    expect(await consume({ refreshToken: token.id }, newRefreshToken({ ...record, parentId: token.id }, undefined))).toEqual({
      won: true,
      grantValid: true,
    });
    expect(await isRevokedNow([`jti:${randomUUID()}`])).toBe(false);
    expect((await findUserById(user.id))?.id).toBe(user.id);
  } finally {
    pg.Client.prototype.query = query;
  }
  return [...sent.values()];
}

/** Rows enough that a scan costs more than an index lookup, seen by ANALYZE, in the caller's transaction only. */
async function fillTablesThatGrow(client: pg.Client, rows: number): Promise<void> {
  const [{ id: clientId }] = (await client.query(`SELECT "id" FROM "Client" LIMIT 1`)).rows;
  await client.query(
    `INSERT INTO "User" ("id", "email", "passwordHash", "updatedAt") SELECT 'plan-user-' || i, 'plan-' || i || '@example.com', 'x', now() FROM generate_series(1, $1::int) i`,
    [rows],
  );
  await client.query(
    `INSERT INTO "Grant" ("id", "userId", "clientId", "scopes", "updatedAt") SELECT 'plan-grant-' || i, 'plan-user-' || i, $2, 'openid', now() FROM generate_series(1, $1::int) i`,
    [rows, clientId],
  );
  await client.query(
    `INSERT INTO "AuthorizationCode" ("id", "codeHash", "grantId", "clientId", "userId", "redirectUri", "scopes", "authTime", "expiresAt")
     SELECT 'plan-code-' || i, md5('code' || i), 'plan-grant-' || i, $2, 'plan-user-' || i, 'https://plans.example/cb', 'openid', now(), now() FROM generate_series(1, $1::int) i`,
    [rows, clientId],
  );
  await client.query(
    `INSERT INTO "RefreshToken" ("id", "tokenHash", "familyId", "grantId", "clientId", "userId", "scopes", "expiresAt")
     SELECT 'plan-token-' || i, md5('token' || i), 'plan-code-' || i, 'plan-grant-' || i, $2, 'plan-user-' || i, 'openid', now() FROM generate_series(1, $1::int) i`,
    [rows, clientId],
  );
  await client.query(`INSERT INTO "RevokedToken" ("jti", "expiresAt") SELECT 'jti:plan-' || i, now() FROM generate_series(1, $1::int) i`, [
    rows,
  ]);
  for (const table of TABLES_THAT_GROW) await client.query(`ANALYZE "${table}"`);
}

/** The tables a plan reads with a sequential scan. */
function scannedTables(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(scannedTables);
  if (!plan || typeof plan !== "object") return [];
  const node = plan as Record<string, unknown>;
  const own = node["Node Type"] === "Seq Scan" && typeof node["Relation Name"] === "string" ? [node["Relation Name"]] : [];
  return [...own, ...Object.values(node).flatMap(scannedTables)];
}
