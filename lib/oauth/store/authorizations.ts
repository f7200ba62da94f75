/**
 * Storage for the authorization endpoint: clients as it sees them, pending
 * requests, grants (remembered consent) and authorization codes. Handles and
 * codes are random; only their keyed hashes are stored.
 */
import { randomUUID } from "node:crypto";
import { prismaSession } from "@/lib/sql";
import { db, lockForTransaction } from "@/lib/db";
import { hashSecret, randomToken, timeOrderedId } from "@/lib/crypto";
import { eventRecorder, type AuditEventInput } from "@/lib/events";
import type { Grant, PendingAuthorization, Prisma } from "@/lib/generated/prisma/client";
import type { AuthorizationClient, AuthorizationRequest, Prompt } from "@/lib/oauth/authorization-request";
import type { ResourceApi } from "@/lib/oauth/apis";
import type { CodeChallengeMethod } from "@/lib/oauth/pkce";
import { formatScope, parseScope } from "@/lib/oauth/scopes";
import { findClient } from "@/lib/oauth/store/clients";

/** How long a person has to sign in (or sign up) and answer the consent screen. */
export const PENDING_LIFETIME_MINUTES = 30;

export async function findAuthorizationClient(clientId: string): Promise<AuthorizationClient | null> {
  const client = await findClient(clientId);
  if (!client) return null;
  return { ...client, redirectUris: client.redirectUris.map(({ uri }) => uri) };
}

export async function clientOwnerName(ownerId: string | null): Promise<string | null> {
  if (!ownerId) return null;
  const owner = await db().user.findUnique({ where: { id: ownerId }, select: { name: true, email: true } });
  return owner ? (owner.name ?? owner.email) : null;
}

/** A stored request, as the rest of the flow reads it back. */
export type PendingRequest = AuthorizationRequest & { signInNotBefore: Date | null };

/** Keeps the request server-side; returns the handle the browser carries. */
export async function savePendingAuthorization(request: PendingRequest): Promise<string> {
  const handle = randomToken(32);
  const now = new Date();
  // Expired requests are never answered; lib/purge.ts clears them.
  await db().pendingAuthorization.create({
    data: {
      handleHash: hashSecret(handle),
      clientId: request.client.id,
      redirectUri: request.redirectUri,
      redirectUriSent: request.redirectUriSent,
      scopes: formatScope(request.scopes),
      state: request.state,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: request.codeChallengeMethod,
      nonce: request.nonce,
      audience: request.api.identifier,
      prompt: request.prompt.length > 0 ? request.prompt.join(" ") : null,
      loginHint: request.loginHint,
      signInNotBefore: request.signInNotBefore,
      requireMfa: request.requireMfa,
      expiresAt: new Date(now.getTime() + PENDING_LIFETIME_MINUTES * 60_000),
    },
  });
  return handle;
}

/** The stored request behind a handle, while it is still waiting for an answer. */
export async function findPendingAuthorization(handle: string): Promise<PendingAuthorization | null> {
  if (!handle || handle.length > 100) return null;
  const pending = await db().pendingAuthorization.findUnique({ where: { handleHash: hashSecret(handle) } });
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

type Tx = Prisma.TransactionClient;

/** The person's current (unrevoked) grant to the client for the API, which is their remembered consent. */
export function findActiveGrant(userId: string, clientId: string, apiId: string, client: Tx = db()): Promise<Grant | null> {
  return client.grant.findFirst({ where: { userId, clientId, apiId, revokedAt: null }, orderBy: { createdAt: "desc" } });
}

/**
 * Records the person's consent on their grant to the app for the API, adding
 * any new scopes; returns the grant's id. One grant per person, app and API,
 * and no consented scope lost, however many approvals run at once.
 */
export async function recordConsent(
  tx: Tx,
  consent: { userId: string; clientId: string; apiId: string; scopes: readonly string[] },
): Promise<string> {
  await lockForTransaction(tx, `grant:${consent.userId}:${consent.clientId}:${consent.apiId}`);
  const grant = await findActiveGrant(consent.userId, consent.clientId, consent.apiId, tx);
  if (grant) {
    const scopes = new Set([...parseScope(grant.scopes), ...consent.scopes]);
    if (scopes.size !== parseScope(grant.scopes).length)
      await tx.grant.update({ where: { id: grant.id }, data: { scopes: formatScope(scopes) } });
    return grant.id;
  }
  const grantId = randomUUID();
  await tx.grant.create({
    data: { id: grantId, userId: consent.userId, clientId: consent.clientId, apiId: consent.apiId, scopes: formatScope(consent.scopes) },
  });
  return grantId;
}

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
async function answerPending(tx: Tx, handle: string): Promise<void> {
  const answered = await tx.pendingAuthorization.deleteMany({ where: { handleHash: hashSecret(handle), expiresAt: { gt: new Date() } } });
  if (answered.count !== 1) throw new PendingAuthorizationGoneError();
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
  await db().$transaction(async (tx) => {
    if (issue.pendingHandle !== undefined) await answerPending(tx, issue.pendingHandle);
    const grantId = await recordConsent(tx, { userId, clientId: request.client.id, apiId: request.api.id, scopes: request.scopes });
    await tx.authorizationCode.create({
      data: {
        // Time-ordered: the code becomes the id of its refresh-token family, appended to that index.
        id: timeOrderedId(),
        codeHash: hashSecret(code),
        grantId,
        clientId: request.client.id,
        userId,
        redirectUri: request.redirectUri,
        redirectUriSent: request.redirectUriSent,
        scopes: formatScope(request.scopes),
        codeChallenge: request.codeChallenge,
        codeChallengeMethod: request.codeChallengeMethod,
        nonce: request.nonce,
        audience: request.api.identifier,
        sid: issue.sid,
        amr: issue.amr?.join(" "),
        authTime: new Date(issue.authTime * 1000),
        expiresAt: new Date(Date.now() + codeLifetimeSeconds * 1000),
      },
    });
    await recordEvent({ ...issue.event, clientId: request.client.id, userId, grantId, scopes: request.scopes }, prismaSession(tx));
  });
  return code;
}

/** Answers a pending request with a refusal, exactly once. */
export async function denyPendingAuthorization(handle: string, event: AuditEventInput): Promise<void> {
  const recordEvent = await eventRecorder();
  await db().$transaction(async (tx) => {
    await answerPending(tx, handle);
    await recordEvent(event, prismaSession(tx));
  });
}
