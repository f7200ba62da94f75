/**
 * Storage for the authorization endpoint: clients as it sees them, pending
 * requests, grants (remembered consent) and authorization codes. Handles and
 * codes are random; only their keyed hashes are stored.
 */
import { randomUUID } from "node:crypto";
import { hashSecret, randomToken, timeOrderedId } from "@/lib/crypto";
import { db } from "@/lib/db";
import { eventRecorder, type AuditEventInput } from "@/lib/events";
import type { AuthorizationCode, Grant, PendingAuthorization } from "@/lib/generated/prisma/client";
import type { AuthorizationClient, AuthorizationRequest, Prompt } from "@/lib/oauth/authorization-request";
import type { ResourceApi } from "@/lib/oauth/apis";
import type { CodeChallengeMethod } from "@/lib/oauth/pkce";
import { formatScope, parseScope } from "@/lib/oauth/scopes";
import { isStorable } from "@/lib/storable";
import { lockInTransaction, lookup, sql, sqlSession, sqlTransaction, tableOf, typedRow, type SqlSession } from "@/lib/sql";

/** How long a person has to sign in (or sign up) and answer the consent screen. */
export const PENDING_LIFETIME_MINUTES = 30;

/*
 * Every step of a person's authorization (the request, the sign-in, the
 * consent page and its answer) reads or writes these rows: on the driver
 * (lib/sql.ts), as the token endpoint does, since Prisma's cost per statement
 * was most of a sign-in's CPU.
 */

const CLIENT_TYPES = {
  dates: ["disabledAt"],
  booleans: [
    "isConfidential",
    "isFirstParty",
    "allowPlainPkce",
    "requirePkce",
    "requireOfflineAccess",
    "requirePushedRequests",
    "anyUserScope",
  ],
} as const;
const AUTHORIZATION_CLIENT_COLUMNS: readonly (keyof Omit<AuthorizationClient, "redirectUris">)[] = [
  "id",
  "name",
  "logoUrl",
  "ownerId",
  "applicationType",
  "registeredVia",
  "grantTypes",
  "scopes",
  ...CLIENT_TYPES.dates,
  ...CLIENT_TYPES.booleans,
];
const clientById = lookup(`SELECT ${AUTHORIZATION_CLIENT_COLUMNS.map((column) => `c."${column}"`).join(", ")} FROM "Client" c`, "c", "id");

export async function findAuthorizationClient(clientId: string): Promise<AuthorizationClient | null> {
  if (!isStorable(clientId)) return null;
  const session = await sqlSession();
  const [row, redirectUris] = await Promise.all([
    clientById(clientId),
    session.rows<{ uri: string }>(sql`SELECT "uri" FROM "RedirectUri" WHERE "clientId" = ${clientId}`),
  ]);
  if (!row) return null;
  return { ...typedRow<Omit<AuthorizationClient, "redirectUris">>(row, CLIENT_TYPES), redirectUris: redirectUris.map(({ uri }) => uri) };
}

export async function clientOwnerName(ownerId: string | null): Promise<string | null> {
  if (!ownerId) return null;
  const owner = await db().user.findUnique({ where: { id: ownerId }, select: { name: true, email: true } });
  return owner ? (owner.name ?? owner.email) : null;
}

const PENDING = tableOf<PendingAuthorization>("PendingAuthorization", {
  handleHash: "text",
  clientId: "text",
  redirectUri: "text",
  redirectUriSent: "boolean",
  scopes: "text",
  state: "text",
  codeChallenge: "text",
  codeChallengeMethod: "text",
  nonce: "text",
  audience: "text",
  prompt: "text",
  loginHint: "text",
  signInNotBefore: "timestamp(3)",
  requireMfa: "boolean",
  createdAt: "timestamp(3)",
  expiresAt: "timestamp(3)",
});
const pendingByHandleHash = lookup(`SELECT * FROM "PendingAuthorization" p`, "p", "handleHash");

/** A stored request, as the rest of the flow reads it back. */
export type PendingRequest = AuthorizationRequest & { signInNotBefore: Date | null };

/** What a pending request and the code that answers it both record of the authorization request. */
function requestColumns(request: CodeIssue["request"]) {
  return {
    clientId: request.client.id,
    redirectUri: request.redirectUri,
    redirectUriSent: request.redirectUriSent,
    scopes: formatScope(request.scopes),
    codeChallenge: request.codeChallenge ?? null,
    codeChallengeMethod: request.codeChallengeMethod ?? null,
    nonce: request.nonce ?? null,
    audience: request.api.identifier,
  };
}

/** Keeps the request server-side; returns the handle the browser carries. */
export async function savePendingAuthorization(request: PendingRequest): Promise<string> {
  const handle = randomToken(32);
  const now = new Date();
  // Expired requests are never answered; lib/purge.ts clears them.
  const row: PendingAuthorization = {
    handleHash: hashSecret(handle),
    ...requestColumns(request),
    state: request.state ?? null,
    prompt: request.prompt.length > 0 ? request.prompt.join(" ") : null,
    loginHint: request.loginHint ?? null,
    signInNotBefore: request.signInNotBefore,
    requireMfa: request.requireMfa,
    createdAt: now,
    expiresAt: new Date(now.getTime() + PENDING_LIFETIME_MINUTES * 60_000),
  };
  await (await sqlSession()).run(PENDING.insertOne(row));
  return handle;
}

/** The stored request behind a handle, while it is still waiting for an answer. */
export async function findPendingAuthorization(handle: string): Promise<PendingAuthorization | null> {
  if (!handle || handle.length > 100) return null;
  const row = await pendingByHandleHash(hashSecret(handle));
  const pending = row ? typedRow<PendingAuthorization>(row, PENDING) : null;
  return pending && pending.expiresAt > new Date() ? pending : null;
}

/** A stored request, with the client and API it names, as the flow reads it back. */
export function toPendingRequest(pending: PendingAuthorization, client: AuthorizationClient, api: ResourceApi): PendingRequest {
  return {
    client,
    redirectUri: pending.redirectUri,
    redirectUriSent: pending.redirectUriSent,
    scopes: parseScope(pending.scopes),
    state: pending.state ?? undefined,
    codeChallenge: pending.codeChallenge ?? undefined,
    codeChallengeMethod: (pending.codeChallengeMethod as CodeChallengeMethod | null) ?? undefined,
    nonce: pending.nonce ?? undefined,
    api,
    prompt: parseScope(pending.prompt) as Prompt[],
    loginHint: pending.loginHint ?? undefined,
    signInNotBefore: pending.signInNotBefore,
    requireMfa: pending.requireMfa,
  };
}

const GRANT_TYPES = { dates: ["createdAt", "updatedAt", "revokedAt"] } as const;

/** The person's current (unrevoked) grant to the client for the API, which is their remembered consent. */
export async function findActiveGrant(userId: string, clientId: string, apiId: string, session?: SqlSession): Promise<Grant | null> {
  const [row] = await (session ?? (await sqlSession())).rows(
    sql`SELECT * FROM "Grant" WHERE "userId" = ${userId} AND "clientId" = ${clientId} AND "apiId" = ${apiId} AND "revokedAt" IS NULL ORDER BY "createdAt" DESC LIMIT 1`,
  );
  return row ? typedRow<Grant>(row, GRANT_TYPES) : null;
}

/**
 * Records the person's consent on their grant to the app for the API, adding
 * any new scopes; returns the grant's id. One grant per person, app and API,
 * and no consented scope lost, however many approvals run at once. Runs in
 * the caller's transaction.
 */
export async function recordConsent(
  tx: SqlSession,
  consent: { userId: string; clientId: string; apiId: string; scopes: readonly string[] },
): Promise<string> {
  const { userId, clientId, apiId } = consent;
  await lockInTransaction(tx, `grant:${userId}:${clientId}:${apiId}`);
  const grant = await findActiveGrant(userId, clientId, apiId, tx);
  const now = new Date();
  if (grant) {
    const scopes = new Set([...parseScope(grant.scopes), ...consent.scopes]);
    if (scopes.size !== parseScope(grant.scopes).length)
      await tx.run(sql`UPDATE "Grant" SET "scopes" = ${formatScope(scopes)}, "updatedAt" = ${now} WHERE "id" = ${grant.id}`);
    return grant.id;
  }
  const grantId = randomUUID();
  await tx.run(sql`
    INSERT INTO "Grant" ("id", "userId", "clientId", "apiId", "scopes", "createdAt", "updatedAt")
    VALUES (${grantId}, ${userId}, ${clientId}, ${apiId}, ${formatScope(consent.scopes)}, ${now}, ${now})`);
  return grantId;
}

type CodeRow = Omit<AuthorizationCode, "consumedAt">;
const AUTHORIZATION_CODE = tableOf<CodeRow>("AuthorizationCode", {
  id: "text",
  codeHash: "text",
  grantId: "text",
  clientId: "text",
  userId: "text",
  redirectUri: "text",
  redirectUriSent: "boolean",
  scopes: "text",
  codeChallenge: "text",
  codeChallengeMethod: "text",
  nonce: "text",
  audience: "text",
  sid: "text",
  amr: "text",
  authTime: "timestamp(3)",
  expiresAt: "timestamp(3)",
  createdAt: "timestamp(3)",
});

export type CodeIssue = {
  request: Omit<AuthorizationRequest, "api" | "requireMfa"> & { api: Pick<ResourceApi, "id" | "identifier"> };
  userId: string;
  /** When the person signed in (seconds since the epoch), for the ID token's auth_time. */
  authTime: number;
  /** The session the person approved in (OpenID Connect `sid`). */
  sid?: string;
  /** How the person signed in (OpenID Connect amr). */
  amr?: readonly string[];
  event: Pick<AuditEventInput, "type" | "ip" | "details">;
  /** The pending request this answers; it must still exist, so it is answered only once. */
  pendingHandle?: string;
};

export class PendingAuthorizationGoneError extends Error {
  override name = "PendingAuthorizationGoneError";
}

/** Deletes the pending request, which must still be waiting: of two answers, only one gets through. */
async function answerPending(tx: SqlSession, handle: string): Promise<void> {
  const answered = await tx.run(
    sql`DELETE FROM "PendingAuthorization" WHERE "handleHash" = ${hashSecret(handle)} AND "expiresAt" > ${new Date()}`,
  );
  if (answered !== 1) throw new PendingAuthorizationGoneError();
}

/**
 * In one transaction: answers the pending request (exactly once), records the
 * consent on the person's grant (adding any new scopes), stores the code bound
 * to everything the token request must match, and records the event.
 * Returns the code, which exists in plain form only in the redirect.
 */
export async function issueAuthorizationCode(issue: CodeIssue, codeLifetimeSeconds: number): Promise<string> {
  const { request, userId } = issue;
  const code = randomToken(32);
  const recordEvent = await eventRecorder();
  await sqlTransaction(async (tx) => {
    if (issue.pendingHandle !== undefined) await answerPending(tx, issue.pendingHandle);
    const grantId = await recordConsent(tx, { userId, clientId: request.client.id, apiId: request.api.id, scopes: request.scopes });
    const now = new Date();
    await tx.run(
      AUTHORIZATION_CODE.insertOne({
        // Time-ordered: the code becomes the id of its refresh-token family, appended to that index.
        id: timeOrderedId(),
        codeHash: hashSecret(code),
        grantId,
        userId,
        ...requestColumns(request),
        sid: issue.sid ?? null,
        amr: issue.amr?.join(" ") ?? null,
        authTime: new Date(issue.authTime * 1000),
        expiresAt: new Date(now.getTime() + codeLifetimeSeconds * 1000),
        createdAt: now,
      }),
    );
    await recordEvent({ ...issue.event, clientId: request.client.id, userId, grantId, scopes: request.scopes }, tx);
  });
  return code;
}

/** Answers a pending request with a refusal, exactly once. */
export async function denyPendingAuthorization(handle: string, event: AuditEventInput): Promise<void> {
  const recordEvent = await eventRecorder();
  await sqlTransaction(async (tx) => {
    await answerPending(tx, handle);
    await recordEvent(event, tx);
  });
}
