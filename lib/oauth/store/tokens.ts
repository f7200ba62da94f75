/**
 * Storage for the token endpoint: lookups of codes and refresh tokens (by
 * their keyed hash), the one write that uses up a code, refresh token or
 * device code with its successor (`consume`), and revoking families. Each
 * write is one transaction, so that exactly one of several simultaneous
 * requests wins and nothing is half-written. The rules of an exchange are the
 * grants' (lib/oauth/grants/), its issuing lib/oauth/grants/user-tokens.ts's.
 */
import { getConfig } from "@/lib/config";
import { hashSecret, randomToken, timeOrderedId } from "@/lib/crypto";
import { eventRecorder, queueEvent, type AuditEventInput } from "@/lib/events";
import type { AuthorizationCode, RefreshToken, User } from "@/lib/generated/prisma/client";
import { rememberRevocations, revocationOfIssuedTokens, storeRevocation, storeRevocations, type Revocation } from "@/lib/oauth/revocations";
import { batched } from "@/lib/batched";
import {
  booleanOf,
  databaseProvider,
  lookup,
  sql,
  sqlSession,
  sqlTransaction,
  statementText,
  tableOf,
  typedRow,
  type SqlSession,
} from "@/lib/sql";

/** Revokes a refresh-token family and every access token issued from it. */
async function revokeFamily(tx: SqlSession, familyId: string, clientId: string, reason: string): Promise<Revocation[]> {
  await tx.run(
    sql`UPDATE "RefreshToken" SET "revokedAt" = ${new Date()}, "revokedReason" = ${reason} WHERE "familyId" = ${familyId} AND "revokedAt" IS NULL`,
  );
  const revocations = [revocationOfIssuedTokens(`family:${familyId}`, clientId)];
  await storeRevocations(tx, revocations);
  return revocations;
}

/**
 * A refresh token's expiry: the idle lifetime from now, but never past the
 * family's absolute lifetime from the sign-in, so use alone cannot keep a
 * family alive for ever.
 */
export function refreshTokenExpiry(signedInAt: Date, now = new Date(), idleSeconds = getConfig().ttl.refreshToken): Date {
  const { refreshTokenAbsolute } = getConfig().ttl;
  return new Date(Math.min(now.getTime() + idleSeconds * 1000, signedInAt.getTime() + refreshTokenAbsolute * 1000));
}

/*
 * The statements of a code exchange and a refresh run on the driver
 * (lib/sql.ts): these are the requests apps make at volume, and Prisma's cost
 * per statement was most of their CPU. The rows come back typed as Prisma's.
 */

/** The columns a new refresh token is written with, declared once for every statement that writes them. */
type RefreshTokenRow = Pick<
  RefreshToken,
  | "id"
  | "tokenHash"
  | "familyId"
  | "parentId"
  | "grantId"
  | "clientId"
  | "userId"
  | "scopes"
  | "audience"
  | "authorizationCodeId"
  | "dpopJkt"
  | "sid"
  | "amr"
  | "expiresAt"
  | "createdAt"
> & { authTime: Date };
const REFRESH_TOKEN = tableOf<RefreshTokenRow>("RefreshToken", {
  id: "text",
  tokenHash: "text",
  familyId: "text",
  parentId: "text",
  grantId: "text",
  clientId: "text",
  userId: "text",
  scopes: "text",
  audience: "text",
  authTime: "timestamp(3)",
  authorizationCodeId: "text",
  dpopJkt: "text",
  sid: "text",
  amr: "text",
  expiresAt: "timestamp(3)",
  createdAt: "timestamp(3)",
});

/** What a new refresh token records: its family and grant, and what its tokens carry. */
export type RefreshTokenRecord = Omit<RefreshTokenRow, "id" | "tokenHash" | "expiresAt" | "createdAt">;

/** A new refresh token: its value, and the row that stores its hash. */
export type NewRefreshToken = { value: string; row: RefreshTokenRow };

/** `idleSeconds`: how long it lasts unused (the app's refresh-token lifetime, or REFRESH_TOKEN_TTL). */
export function newRefreshToken(record: RefreshTokenRecord, idleSeconds: number | undefined, now = new Date()): NewRefreshToken {
  const value = randomToken(32);
  return {
    value,
    row: {
      ...record,
      id: timeOrderedId(),
      tokenHash: hashSecret(value),
      expiresAt: refreshTokenExpiry(record.authTime, now, idleSeconds),
      createdAt: now,
    },
  };
}

/** The person a token is minted for: what the token and ID token say of them, and whether they may have one. */
export type TokenSubject = Pick<User, "id" | "email" | "name" | "disabledAt" | "emailVerifiedAt">;

type GrantedTo = { user: TokenSubject };

/** The person's columns a lookup joins in. */
type Joined = { userEmail: string; userName: string | null; userDisabledAt: Date | null; userEmailVerifiedAt: Date | null };
const JOINED_DATES = ["userDisabledAt", "userEmailVerifiedAt"];
const CODE_DATES = ["authTime", "expiresAt", "consumedAt", "createdAt", ...JOINED_DATES];
const REFRESH_TOKEN_DATES = [...REFRESH_TOKEN.dates, "rotatedAt", "revokedAt"];

function withUser<T extends { userId: string }>(row: T & Joined): T & GrantedTo {
  const { userEmail, userName, userDisabledAt, userEmailVerifiedAt, ...record } = row;
  return {
    ...(record as unknown as T),
    user: { id: record.userId, email: userEmail, name: userName, disabledAt: userDisabledAt, emailVerifiedAt: userEmailVerifiedAt },
  };
}

/*
 * A code or refresh token with its person, by hash. On SQLite a read on the
 * reader connection (microseconds in-process). On PostgreSQL the lookups of a
 * moment are one statement (lib/batched.ts), since each statement is a round
 * trip: every code exchange and refresh starts here. Whether the grant still
 * stands and the person may still have tokens is not read here but by the
 * statement that uses the code or token up (`consume`), which is what counts.
 */
const PERSON = `u."email" AS "userEmail", u."name" AS "userName", u."disabledAt" AS "userDisabledAt", u."emailVerifiedAt" AS "userEmailVerifiedAt"`;
const findCodeRow = lookup(`SELECT c.*, ${PERSON} FROM "AuthorizationCode" c JOIN "User" u ON u."id" = c."userId"`, "c", "codeHash");
const findRefreshTokenRow = lookup(`SELECT t.*, ${PERSON} FROM "RefreshToken" t JOIN "User" u ON u."id" = t."userId"`, "t", "tokenHash");

export async function findCode(code: string): Promise<(AuthorizationCode & GrantedTo) | undefined> {
  const row = await findCodeRow(hashSecret(code));
  return row && withUser(typedRow<AuthorizationCode & Joined>(row, { dates: CODE_DATES, booleans: ["redirectUriSent"] }));
}

export async function findRefreshTokenWithUser(token: string): Promise<(RefreshToken & GrantedTo) | undefined> {
  const row = await findRefreshTokenRow(hashSecret(token));
  return row && withUser(typedRow<RefreshToken & Joined>(row, { dates: REFRESH_TOKEN_DATES }));
}

/** What an exchange uses up: a code, a refresh token (rotated) or a device code. */
export type Consumable = { code: string } | { refreshToken: string } | { deviceCodeHash: string };

/** Whether this request used it up (false: another did first), and whether its grant stood and its person was active as it did. */
export type Consumed = { won: false } | { won: true; grantValid: boolean };

/** The condition of issuing anything, read by the statement that uses a code or token up, inside its transaction. */
const GRANT_VALID = (row: string) =>
  `EXISTS (SELECT 1 FROM "Grant" g JOIN "User" u ON u."id" = g."userId" WHERE g."id" = ${row}."grantId" AND g."revokedAt" IS NULL AND u."disabledAt" IS NULL) AS "grantValid"`;
const useCode = statementText(
  `UPDATE "AuthorizationCode" SET "consumedAt" = ? WHERE "id" = ? AND "consumedAt" IS NULL RETURNING ${GRANT_VALID(`"AuthorizationCode"`)}`,
);
const rotateToken = statementText(
  `UPDATE "RefreshToken" SET "rotatedAt" = ? WHERE "id" = ? AND "rotatedAt" IS NULL AND "revokedAt" IS NULL RETURNING ${GRANT_VALID(`"RefreshToken"`)}`,
);
const useDeviceCode = statementText(
  `UPDATE "DeviceAuthorization" SET "consumedAt" = ? WHERE "deviceCodeHash" = ? AND "status" = 'approved' AND "consumedAt" IS NULL RETURNING ${GRANT_VALID(`"DeviceAuthorization"`)}`,
);

/**
 * Uses up a code, a refresh token or a device code and stores the successor
 * refresh token, if any, in one transaction: exactly one of several
 * simultaneous requests wins, and the successor is stored only if the grant
 * still stands. On PostgreSQL a code's or refresh token's use is one
 * statement (writable CTEs), shared by the uses of a moment (lib/batched.ts):
 * there every statement is a round trip, and this is every code exchange and
 * refresh. SQLite cannot express that; it runs the two statements in a
 * grouped transaction, microseconds in-process.
 */
export async function consume(target: Consumable, successor?: NewRefreshToken): Promise<Consumed> {
  const now = new Date();
  const row = successor?.row ?? null;
  if (databaseProvider() === "postgresql" && !("deviceCodeHash" in target)) {
    const used =
      "code" in target
        ? codesUsedTogether({ targetId: target.code, successor: row })
        : refreshTokensRotatedTogether({ targetId: target.refreshToken, successor: row });
    return outcomeOf(await used);
  }
  return sqlTransaction(async (tx) => {
    const [used] = await tx.rows<{ grantValid: unknown }>(
      "code" in target
        ? useCode(now, target.code)
        : "refreshToken" in target
          ? rotateToken(now, target.refreshToken)
          : useDeviceCode(now, target.deviceCodeHash),
    );
    const outcome = outcomeOf(used);
    if (row && outcome.won && outcome.grantValid) await tx.run(REFRESH_TOKEN.insertOne(row));
    return outcome;
  });
}

function outcomeOf(used: { grantValid: unknown } | undefined): Consumed {
  return used === undefined ? { won: false } : { won: true, grantValid: booleanOf(used.grantValid) };
}

type Use = { targetId: string; successor: RefreshTokenRow | null };

/**
 * PostgreSQL's one statement for the uses of a moment, given the successors
 * as JSON rows. Each code or token goes in once: a second use of it in the
 * batch lost the race, as it would have to the first's own statement. The
 * statement locks its rows in id order first, so that two instances' batches
 * that share rows (a token replayed at both) wait for each other instead of
 * deadlocking.
 */
function usedTogether(table: "AuthorizationCode" | "RefreshToken", usedColumn: string, unused: string) {
  const statement = statementText(`WITH input AS (
      SELECT * FROM json_to_recordset(?::json) AS d("targetId" text, "store" boolean, ${REFRESH_TOKEN.recordType})
    ), locked AS MATERIALIZED (
      SELECT x."id" FROM "${table}" x WHERE x."id" = ANY (ARRAY(SELECT "targetId" FROM input)) ORDER BY x."id" FOR UPDATE
    ), used AS (
      UPDATE "${table}" x SET "${usedColumn}" = ?::timestamp(3) WHERE x."id" = ANY (ARRAY(SELECT "id" FROM locked)) AND ${unused}
      RETURNING x."id" AS "targetId", ${GRANT_VALID("x")}
    ), stored AS (
      INSERT INTO "RefreshToken" (${REFRESH_TOKEN.list})
      SELECT ${REFRESH_TOKEN.selectFrom("i")} FROM input i JOIN used ON used."targetId" = i."targetId" WHERE used."grantValid" AND i."store"
    ) SELECT "targetId", "grantValid" FROM used`);
  return batched(async (uses: Use[]): Promise<({ grantValid: unknown } | undefined)[]> => {
    const targets = new Set<string>();
    const first = new Set(uses.filter((one) => !targets.has(one.targetId) && targets.add(one.targetId)));
    const input = JSON.stringify([...first].map(({ targetId, successor }) => ({ targetId, store: successor !== null, ...successor })));
    const used = await (await sqlSession()).rows<{ targetId: string; grantValid: unknown }>(statement(input, new Date()));
    const byTarget = new Map(used.map((row) => [row.targetId, row]));
    return uses.map((one) => (first.has(one) ? byTarget.get(one.targetId) : undefined));
  });
}

const codesUsedTogether = usedTogether("AuthorizationCode", "consumedAt", `x."consumedAt" IS NULL`);
const refreshTokensRotatedTogether = usedTogether("RefreshToken", "rotatedAt", `x."rotatedAt" IS NULL AND x."revokedAt" IS NULL`);

/** A second use: the family issued from the code or token is revoked, with its access tokens. */
export async function revokeReusedFamily(familyId: string, clientId: string, reason: string, event: AuditEventInput): Promise<void> {
  const recordEvent = await eventRecorder();
  const revoked = await sqlTransaction(async (tx) => {
    const revocations = await revokeFamily(tx, familyId, clientId, reason);
    await recordEvent(event, tx);
    return revocations;
  });
  await rememberRevocations(revoked);
}

/** The refresh token behind a value, whatever its state. */
export async function findRefreshToken(token: string): Promise<RefreshToken | null> {
  const [row] = await (await sqlSession()).rows(sql`SELECT * FROM "RefreshToken" WHERE "tokenHash" = ${hashSecret(token)}`);
  return row ? typedRow<RefreshToken>(row, { dates: REFRESH_TOKEN_DATES }) : null;
}

/** RFC 7009: revoking a refresh token ends its family and the access tokens issued from it. */
export async function revokeRefreshFamily(token: RefreshToken, event: AuditEventInput): Promise<void> {
  const recordEvent = await eventRecorder();
  const revoked = await sqlTransaction(async (tx) => {
    const revocations = await revokeFamily(tx, token.familyId, token.clientId, "revoked_by_client");
    await recordEvent(event, tx);
    return revocations;
  });
  await rememberRevocations(revoked);
}

/** Revokes one access token until it would have expired (the event is queued, like those of issued tokens). */
export async function revokeAccessToken(jti: string, clientId: string, expiresAt: Date, event: AuditEventInput): Promise<void> {
  const revocation: Revocation = { key: `jti:${jti}`, clientId, expiresAt };
  await storeRevocation(revocation);
  await rememberRevocations([revocation]);
  queueEvent(event);
}
