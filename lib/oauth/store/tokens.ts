/**
 * Storage for the token endpoint: redeeming codes, rotating refresh tokens and
 * revoking families, each in one transaction so that exactly one of several
 * simultaneous requests wins and nothing is half-written. Codes and refresh
 * tokens are looked up by their keyed hash.
 */
import { getConfig } from "@/lib/config";
import { hashSecret, randomToken, timeOrderedId } from "@/lib/crypto";
import { eventRecorder, queueEvent, type AuditEventInput } from "@/lib/events";
import type { AuthorizationCode, RefreshToken, User } from "@/lib/generated/prisma/client";
import { rememberRevocations, revocationOfIssuedTokens, storeRevocation, storeRevocations, type Revocation } from "@/lib/oauth/revocations";
import { batched } from "@/lib/batched";
import { booleanOf, databaseProvider, rowsByKey, sql, sqlSession, sqlTransaction, typedRow, type SqlSession, type Statement } from "@/lib/sql";

/** Revokes a refresh-token family and every access token issued from it. */
async function revokeFamily(tx: SqlSession, familyId: string, clientId: string, reason: string): Promise<Revocation[]> {
  await tx.run(sql`UPDATE "RefreshToken" SET "revokedAt" = ${new Date()}, "revokedReason" = ${reason} WHERE "familyId" = ${familyId} AND "revokedAt" IS NULL`);
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

/** A new refresh token: its value, and the row that stores its hash (written by `insertRefreshToken`). */
type NewRefreshToken = {
  value: string;
  row: Pick<RefreshToken, "familyId" | "parentId" | "grantId" | "clientId" | "userId" | "scopes" | "audience" | "authorizationCodeId" | "dpopJkt" | "sid" | "amr"> & { authTime: Date };
  /** How long it lasts unused: the app's refresh-token lifetime, or REFRESH_TOKEN_TTL. */
  idleSeconds?: number;
};

function newRefreshToken(row: NewRefreshToken["row"], idleSeconds: number | undefined): NewRefreshToken {
  return { value: randomToken(32), row, idleSeconds };
}

/** The stored columns of a new refresh token (all null when there is none: then nothing is stored). */
function successorRow(successor: NewRefreshToken | undefined, now: Date) {
  const row = successor?.row;
  return {
    id: successor ? timeOrderedId() : null,
    tokenHash: successor ? hashSecret(successor.value) : null,
    familyId: row?.familyId ?? null,
    parentId: row?.parentId ?? null,
    grantId: row?.grantId ?? null,
    clientId: row?.clientId ?? null,
    userId: row?.userId ?? null,
    scopes: row?.scopes ?? null,
    audience: row?.audience ?? null,
    authTime: row?.authTime ?? null,
    authorizationCodeId: row?.authorizationCodeId ?? null,
    dpopJkt: row?.dpopJkt ?? null,
    sid: row?.sid ?? null,
    amr: row?.amr ?? null,
    expiresAt: row ? refreshTokenExpiry(row.authTime, now, successor?.idleSeconds) : null,
  };
}

async function insertRefreshToken(tx: SqlSession, successor: NewRefreshToken): Promise<void> {
  const now = new Date();
  const row = successorRow(successor, now);
  await tx.run(sql`INSERT INTO "RefreshToken" ("id", "tokenHash", "familyId", "parentId", "grantId", "clientId", "userId", "scopes", "audience", "authTime", "authorizationCodeId", "dpopJkt", "sid", "amr", "expiresAt", "createdAt")
    VALUES (${row.id}, ${row.tokenHash}, ${row.familyId}, ${row.parentId}, ${row.grantId}, ${row.clientId}, ${row.userId}, ${row.scopes}, ${row.audience}, ${row.authTime}, ${row.authorizationCodeId}, ${row.dpopJkt}, ${row.sid}, ${row.amr}, ${row.expiresAt}, ${now})`);
}

/** The person a token is minted for: what the token and ID token say of them, and whether they may have one. */
export type TokenSubject = Pick<User, "id" | "email" | "name" | "disabledAt" | "emailVerifiedAt">;

type GrantedTo = { grant: { revokedAt: Date | null; user: TokenSubject } };

/** The grant's and person's columns a lookup joins in. */
type Joined = { grantRevokedAt: Date | null; userEmail: string; userName: string | null; userDisabledAt: Date | null; userEmailVerifiedAt: Date | null };
const JOINED_DATES = ["grantRevokedAt", "userDisabledAt", "userEmailVerifiedAt"];
const CODE_DATES = ["authTime", "expiresAt", "consumedAt", "createdAt", ...JOINED_DATES];
const REFRESH_TOKEN_DATES = ["authTime", "expiresAt", "createdAt", "rotatedAt", "revokedAt", ...JOINED_DATES];

function withGrant<T extends { userId: string }>(row: T & Joined): T & GrantedTo {
  const { grantRevokedAt, userEmail, userName, userDisabledAt, userEmailVerifiedAt, ...record } = row;
  return { ...(record as unknown as T), grant: { revokedAt: grantRevokedAt, user: { id: record.userId, email: userEmail, name: userName, disabledAt: userDisabledAt, emailVerifiedAt: userEmailVerifiedAt } } };
}

/*
 * A code or refresh token with its grant and person, by hash. On SQLite a
 * read on the reader connection (microseconds in-process). On PostgreSQL the
 * lookups of a moment are one statement (lib/batched.ts), since each
 * statement is a round trip: every code exchange and refresh starts here.
 */
async function findCode(codeHash: string): Promise<(AuthorizationCode & GrantedTo) | undefined> {
  const row = databaseProvider() === "postgresql" ? await findCodesTogether(codeHash) : (await (await sqlSession()).rows(sql`
    SELECT c.*, g."revokedAt" AS "grantRevokedAt", u."email" AS "userEmail", u."name" AS "userName", u."disabledAt" AS "userDisabledAt", u."emailVerifiedAt" AS "userEmailVerifiedAt"
    FROM "AuthorizationCode" c JOIN "Grant" g ON g."id" = c."grantId" JOIN "User" u ON u."id" = g."userId"
    WHERE c."codeHash" = ${codeHash}`))[0];
  return row && withGrant(typedRow<AuthorizationCode & Joined>(row, { dates: CODE_DATES, booleans: ["redirectUriSent"] }));
}

const findCodesTogether = batched(async (codeHashes: string[]) =>
  rowsByKey(codeHashes, "codeHash", await (await sqlSession()).rows(sql`
    SELECT c.*, g."revokedAt" AS "grantRevokedAt", u."email" AS "userEmail", u."name" AS "userName", u."disabledAt" AS "userDisabledAt", u."emailVerifiedAt" AS "userEmailVerifiedAt"
    FROM "AuthorizationCode" c JOIN "Grant" g ON g."id" = c."grantId" JOIN "User" u ON u."id" = g."userId"
    WHERE c."codeHash" = ANY (ARRAY(SELECT json_array_elements_text(${JSON.stringify(codeHashes)}::json)))`)),
);

async function findRefreshTokenWithGrant(tokenHash: string): Promise<(RefreshToken & GrantedTo) | undefined> {
  const row = databaseProvider() === "postgresql" ? await findRefreshTokensTogether(tokenHash) : (await (await sqlSession()).rows(sql`
    SELECT t.*, g."revokedAt" AS "grantRevokedAt", u."email" AS "userEmail", u."name" AS "userName", u."disabledAt" AS "userDisabledAt", u."emailVerifiedAt" AS "userEmailVerifiedAt"
    FROM "RefreshToken" t JOIN "Grant" g ON g."id" = t."grantId" JOIN "User" u ON u."id" = g."userId"
    WHERE t."tokenHash" = ${tokenHash}`))[0];
  return row && withGrant(typedRow<RefreshToken & Joined>(row, { dates: REFRESH_TOKEN_DATES }));
}

const findRefreshTokensTogether = batched(async (tokenHashes: string[]) =>
  rowsByKey(tokenHashes, "tokenHash", await (await sqlSession()).rows(sql`
    SELECT t.*, g."revokedAt" AS "grantRevokedAt", u."email" AS "userEmail", u."name" AS "userName", u."disabledAt" AS "userDisabledAt", u."emailVerifiedAt" AS "userEmailVerifiedAt"
    FROM "RefreshToken" t JOIN "Grant" g ON g."id" = t."grantId" JOIN "User" u ON u."id" = g."userId"
    WHERE t."tokenHash" = ANY (ARRAY(SELECT json_array_elements_text(${JSON.stringify(tokenHashes)}::json)))`)),
);

/**
 * The outcome of marking a code or refresh token used, in one statement: no
 * row when someone used it meanwhile; otherwise whether its grant still
 * stands and its person may still have tokens, as the transaction sees them.
 */
type MarkedUsed = { grantValid: unknown } | undefined;

function grantValid(marked: MarkedUsed): boolean {
  return marked !== undefined && booleanOf(marked.grantValid);
}

/** A second use: the family issued from the code or token is revoked, with its access tokens. */
async function revokeReusedFamily(familyId: string, clientId: string, reason: string, event: AuditEventInput): Promise<void> {
  const recordEvent = await eventRecorder();
  const revoked = await sqlTransaction(async (tx) => {
    const revocations = await revokeFamily(tx, familyId, clientId, reason);
    await recordEvent(event, tx);
    return revocations;
  });
  await rememberRevocations(revoked);
}

/*
 * Marking a code or refresh token used and storing its successor refresh
 * token are one transaction. On PostgreSQL they are one statement (writable
 * CTEs), and the uses of a moment share it (lib/batched.ts): there every
 * statement is a round trip, and this is every code exchange and refresh.
 * SQLite cannot express that; it runs the two statements in a grouped
 * transaction, microseconds in-process. The successor is stored only if the
 * grant still stands.
 */
type Use = { targetId: string; successor: ReturnType<typeof successorRow> | null };

async function markUsed(targetId: string, successor: NewRefreshToken | undefined, table: "code" | "refreshToken"): Promise<MarkedUsed> {
  const now = new Date();
  if (databaseProvider() === "postgresql") {
    const use: Use = { targetId, successor: successor ? successorRow(successor, now) : null };
    return table === "code" ? markCodesUsedTogether(use) : markRefreshTokensRotatedTogether(use);
  }
  return sqlTransaction(async (tx) => {
    const [used] = await tx.rows<MarkedUsed>(
      table === "code"
        ? sql`UPDATE "AuthorizationCode" SET "consumedAt" = ${now} WHERE "id" = ${targetId} AND "consumedAt" IS NULL
            RETURNING EXISTS (SELECT 1 FROM "Grant" g JOIN "User" u ON u."id" = g."userId" WHERE g."id" = "AuthorizationCode"."grantId" AND g."revokedAt" IS NULL AND u."disabledAt" IS NULL) AS "grantValid"`
        : sql`UPDATE "RefreshToken" SET "rotatedAt" = ${now} WHERE "id" = ${targetId} AND "rotatedAt" IS NULL AND "revokedAt" IS NULL
            RETURNING EXISTS (SELECT 1 FROM "Grant" g JOIN "User" u ON u."id" = g."userId" WHERE g."id" = "RefreshToken"."grantId" AND g."revokedAt" IS NULL AND u."disabledAt" IS NULL) AS "grantValid"`,
    );
    if (successor && grantValid(used)) await insertRefreshToken(tx, successor);
    return used;
  });
}

/**
 * PostgreSQL's one statement for the uses of a moment, given the successors
 * as JSON rows. Each code or token goes in once: a second use of it in the
 * batch lost the race, as it would have to the first's own statement. The
 * statements lock their rows in id order first, so that two instances'
 * batches that share rows (a token replayed at both) wait for each other
 * instead of deadlocking.
 */
function usedTogether(statement: (input: string, now: Date) => Statement) {
  return batched(async (uses: Use[]): Promise<MarkedUsed[]> => {
    const targets = new Set<string>();
    const first = new Set(uses.filter((use) => !targets.has(use.targetId) && targets.add(use.targetId)));
    const input = JSON.stringify([...first].map(({ targetId, successor }) => ({ targetId, store: successor !== null, ...successor })));
    const used = await (await sqlSession()).rows<{ targetId: string; grantValid: unknown }>(statement(input, new Date()));
    const byTarget = new Map(used.map((row) => [row.targetId, row]));
    return uses.map((use) => (first.has(use) ? byTarget.get(use.targetId) : undefined));
  });
}

const markCodesUsedTogether = usedTogether(
  (input, now) => sql`WITH input AS (
      SELECT * FROM json_to_recordset(${input}::json) AS d("targetId" text, "store" boolean, "id" text, "tokenHash" text, "familyId" text, "parentId" text, "grantId" text, "clientId" text, "userId" text, "scopes" text, "audience" text, "authTime" timestamp(3), "authorizationCodeId" text, "dpopJkt" text, "sid" text, "amr" text, "expiresAt" timestamp(3))
    ), locked AS MATERIALIZED (
      SELECT c."id" FROM "AuthorizationCode" c WHERE c."id" = ANY (ARRAY(SELECT "targetId" FROM input)) ORDER BY c."id" FOR UPDATE
    ), used AS (
      UPDATE "AuthorizationCode" c SET "consumedAt" = ${now} WHERE c."id" = ANY (ARRAY(SELECT "id" FROM locked)) AND c."consumedAt" IS NULL
      RETURNING c."id" AS "targetId", EXISTS (SELECT 1 FROM "Grant" g JOIN "User" u ON u."id" = g."userId" WHERE g."id" = c."grantId" AND g."revokedAt" IS NULL AND u."disabledAt" IS NULL) AS "grantValid"
    ), stored AS (
      INSERT INTO "RefreshToken" ("id", "tokenHash", "familyId", "parentId", "grantId", "clientId", "userId", "scopes", "audience", "authTime", "authorizationCodeId", "dpopJkt", "sid", "amr", "expiresAt", "createdAt")
      SELECT i."id", i."tokenHash", i."familyId", i."parentId", i."grantId", i."clientId", i."userId", i."scopes", i."audience", i."authTime", i."authorizationCodeId", i."dpopJkt", i."sid", i."amr", i."expiresAt", ${now}::timestamp(3)
      FROM input i JOIN used ON used."targetId" = i."targetId" WHERE used."grantValid" AND i."store"
    ) SELECT "targetId", "grantValid" FROM used`,
);

const markRefreshTokensRotatedTogether = usedTogether(
  (input, now) => sql`WITH input AS (
      SELECT * FROM json_to_recordset(${input}::json) AS d("targetId" text, "store" boolean, "id" text, "tokenHash" text, "familyId" text, "parentId" text, "grantId" text, "clientId" text, "userId" text, "scopes" text, "audience" text, "authTime" timestamp(3), "authorizationCodeId" text, "dpopJkt" text, "sid" text, "amr" text, "expiresAt" timestamp(3))
    ), locked AS MATERIALIZED (
      SELECT t."id" FROM "RefreshToken" t WHERE t."id" = ANY (ARRAY(SELECT "targetId" FROM input)) ORDER BY t."id" FOR UPDATE
    ), used AS (
      UPDATE "RefreshToken" t SET "rotatedAt" = ${now} WHERE t."id" = ANY (ARRAY(SELECT "id" FROM locked)) AND t."rotatedAt" IS NULL AND t."revokedAt" IS NULL
      RETURNING t."id" AS "targetId", EXISTS (SELECT 1 FROM "Grant" g JOIN "User" u ON u."id" = g."userId" WHERE g."id" = t."grantId" AND g."revokedAt" IS NULL AND u."disabledAt" IS NULL) AS "grantValid"
    ), stored AS (
      INSERT INTO "RefreshToken" ("id", "tokenHash", "familyId", "parentId", "grantId", "clientId", "userId", "scopes", "audience", "authTime", "authorizationCodeId", "dpopJkt", "sid", "amr", "expiresAt", "createdAt")
      SELECT i."id", i."tokenHash", i."familyId", i."parentId", i."grantId", i."clientId", i."userId", i."scopes", i."audience", i."authTime", i."authorizationCodeId", i."dpopJkt", i."sid", i."amr", i."expiresAt", ${now}::timestamp(3)
      FROM input i JOIN used ON used."targetId" = i."targetId" WHERE used."grantValid" AND i."store"
    ) SELECT "targetId", "grantValid" FROM used`,
);

function markCodeUsed(codeId: string, successor: NewRefreshToken | undefined): Promise<MarkedUsed> {
  return markUsed(codeId, successor, "code");
}

function markRefreshTokenRotated(tokenId: string, successor: NewRefreshToken | undefined): Promise<MarkedUsed> {
  return markUsed(tokenId, successor, "refreshToken");
}

/*
 * Minting has two steps. The first refuses what must be refused (it may
 * throw, and then nothing is used) and returns the second, which only signs.
 * The signing runs alongside the transaction that consumes the code or
 * retires the refresh token, and the tokens are handed out only if it
 * commits: the transaction holds no lock while a signature is computed (on
 * SQLite, the one write lock), and a request waits for the slower of the two,
 * not for both in turn (measured: code exchange and refresh +6–8 % with one
 * worker). The transaction checks again that nothing was used meanwhile and
 * that the grant and person still stand. The signing needs nothing but keys
 * already in memory, so only a bug can make it fail; then the code stays used
 * (or the refresh token retired) and the app starts again.
 */
type Mint<T, R> = (record: T & GrantedTo, refreshToken: string | undefined) => Promise<() => Promise<R>>;

/** Both settled before either outcome counts, so a failed signing never leaves the transaction unawaited. */
async function alongside<A, B>(transaction: Promise<A>, signing: Promise<B> | undefined): Promise<[A, B | undefined]> {
  const [written, signed] = await Promise.allSettled([transaction, signing]);
  if (written.status === "rejected") throw written.reason;
  if (signed.status === "rejected") throw signed.reason;
  return [written.value, signed.value];
}

export type CodeRedemption<R> =
  | { outcome: "unknown" }
  /** `usedAt`: when it was first used, when known (a race lost just now has none). */
  | { outcome: "reused"; usedAt: Date | null }
  | { outcome: "refused"; reason: string }
  | { outcome: "redeemed"; tokens: R };

/**
 * Consumes a code and mints its tokens. A code issued to another client is
 * left as it is: that client learns nothing and changes nothing. For the right
 * client a second use revokes everything issued from the code (RFC 6749
 * §4.1.2), and a failed `check` (redirect_uri, PKCE, expiry) still consumes it
 * (RFC 9700 §4.8).
 */
export async function redeemAuthorizationCode<R>(input: {
  code: string;
  clientId: string;
  check: (code: AuthorizationCode) => string | null;
  /** Whether the code's tokens include a refresh token (asked only of a code that may be redeemed). */
  issueRefreshToken: (code: AuthorizationCode) => Promise<boolean>;
  /** The app's refresh-token lifetime, when it has its own. */
  refreshTokenTtl?: number;
  /** RFC 9449 §5: the DPoP key a public app's refresh token is bound to. */
  dpopJkt?: string | null;
  event: (code: AuthorizationCode) => AuditEventInput;
  mint: Mint<AuthorizationCode, R>;
}): Promise<CodeRedemption<R>> {
  const code = await findCode(hashSecret(input.code));
  if (!code || code.clientId !== input.clientId) return { outcome: "unknown" };
  const problem = code.consumedAt ? null : (input.check(code) ?? (code.grant.revokedAt ? "the grant was revoked" : null));
  const refreshToken =
    !code.consumedAt && !problem && (await input.issueRefreshToken(code))
      ? newRefreshToken({
          // One family per redeemed code: its id is the code's, so code reuse can find it.
          familyId: code.id,
          parentId: null,
          grantId: code.grantId,
          clientId: code.clientId,
          userId: code.userId,
          scopes: code.scopes,
          audience: code.audience,
          authTime: code.authTime,
          authorizationCodeId: code.id,
          dpopJkt: input.dpopJkt ?? null,
          sid: code.sid,
          amr: code.amr,
        }, input.refreshTokenTtl)
      : undefined;
  const sign = code.consumedAt || problem ? undefined : await input.mint(code, refreshToken?.value);
  const [consumed, tokens] = await alongside(markCodeUsed(code.id, refreshToken), sign?.());
  if (!consumed) {
    await revokeReusedFamily(code.id, code.clientId, "code_reused", { type: "token.code_reuse_detected", clientId: code.clientId, userId: code.userId, grantId: code.grantId });
    return { outcome: "reused", usedAt: code.consumedAt };
  }
  const result: CodeRedemption<R> = problem
    ? { outcome: "refused", reason: problem }
    : !grantValid(consumed)
      ? { outcome: "refused", reason: "the grant was revoked or the account disabled" }
      : { outcome: "redeemed", tokens: tokens! };
  // Written with the batched audit queue after the commit, like client-credentials events (lib/events.ts).
  if (result.outcome === "redeemed") queueEvent(input.event(code));
  return result;
}

export type RefreshRotation<R> =
  | { outcome: "unknown" }
  /** `usedAt`: when it was first used, when known (a race lost just now has none). */
  | { outcome: "reused"; usedAt: Date | null }
  | { outcome: "refused"; reason: string }
  | { outcome: "rotated"; tokens: R };

/**
 * Rotates a refresh token (RFC 9700 §4.14.2) and mints the new tokens: the
 * presented one is retired and a new one of the same family returned.
 * Presenting a retired token again revokes the whole family, since one of the
 * two holders is not the client.
 */
export async function rotateRefreshToken<R>(input: {
  token: string;
  clientId: string;
  /** May throw (an OAuthError such as invalid_scope): then nothing rotates. */
  check: (token: RefreshToken) => void;
  /** The app's refresh-token lifetime, when it has its own. */
  refreshTokenTtl?: number;
  event: (token: RefreshToken) => AuditEventInput;
  mint: Mint<RefreshToken, R>;
  /**
   * For a token already rotated: the answer its rotation gave, when the app's
   * grace window allows it again (a lost response); null means reuse.
   */
  earlierAnswer?: (token: RefreshToken) => Promise<R | null>;
  /** After a rotation: keep the answer for the grace window, before it is given. */
  remember?: (token: RefreshToken, tokens: R) => Promise<void>;
}): Promise<RefreshRotation<R>> {
  const token = await findRefreshTokenWithGrant(hashSecret(input.token));
  // Another client's token is treated as unknown: it learns nothing about it.
  if (!token || token.clientId !== input.clientId) return { outcome: "unknown" };
  if (token.revokedAt) return { outcome: "refused", reason: "the refresh token was revoked" };
  if (token.expiresAt <= new Date()) return { outcome: "refused", reason: "the refresh token expired" };
  if (token.grant.revokedAt) return { outcome: "refused", reason: "the grant was revoked" };
  input.check(token);
  const earlier = token.rotatedAt ? await input.earlierAnswer?.(token) : null;
  if (earlier) return { outcome: "rotated", tokens: earlier };
  const successor = token.rotatedAt
    ? undefined
    : newRefreshToken({
        familyId: token.familyId,
        parentId: token.id,
        grantId: token.grantId,
        clientId: token.clientId,
        userId: token.userId,
        // RFC 6749 §6: the new refresh token has the scope of the one presented.
        scopes: token.scopes,
        audience: token.audience,
        authTime: token.authTime ?? token.createdAt,
        authorizationCodeId: token.authorizationCodeId,
        // The successor stays bound to the same key.
        dpopJkt: token.dpopJkt,
        sid: token.sid,
        amr: token.amr,
      }, input.refreshTokenTtl);
  const sign = successor ? await input.mint(token, successor.value) : undefined;
  const [retired, tokens] = await alongside(markRefreshTokenRotated(token.id, successor), sign?.());
  // Lost a race with the same token: the winner's answer, within the grace window.
  const raced = !retired ? await input.earlierAnswer?.(token) : null;
  if (raced) return { outcome: "rotated", tokens: raced };
  if (!retired) {
    await revokeReusedFamily(token.familyId, token.clientId, "refresh_token_reused", {
      type: "token.refresh_reuse_detected",
      clientId: token.clientId,
      userId: token.userId,
      grantId: token.grantId,
      details: { familyId: token.familyId },
    });
    return { outcome: "reused", usedAt: token.rotatedAt };
  }
  const result: RefreshRotation<R> = grantValid(retired) ? { outcome: "rotated", tokens: tokens! } : { outcome: "refused", reason: "the grant was revoked or the account disabled" };
  if (result.outcome === "rotated") await input.remember?.(token, result.tokens);
  if (result.outcome === "rotated") queueEvent(input.event(token));
  return result;
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
