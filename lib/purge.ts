/**
 * Expired rows go on a schedule, so the tables stop growing under steady
 * load: revocations whose tokens have expired, codes, refresh tokens and
 * pending requests past their expiry, throttle counters whose windows are
 * long over, and audit events past AUDIT_LOG_RETENTION_DAYS. Every instance
 * runs it; the deletes are idempotent, so two instances running it at once
 * only repeat work.
 */
import { getConfig } from "@/lib/config";
import { firstTimeOrderedId } from "@/lib/crypto";
import { db } from "@/lib/db";

export const PURGE_INTERVAL_MS = 10 * 60 * 1000;
const CODE_GRACE_MS = 24 * 3600 * 1000;

export type PurgeCounts = Record<
  | "revocations"
  | "authorizationCodes"
  | "refreshTokens"
  | "pendingAuthorizations"
  | "throttleCounters"
  | "clientAssertions"
  | "unusedOpenClients"
  | "pushedRequests"
  | "deviceAuthorizations"
  | "refreshAnswers"
  | "dpopProofs"
  | "sessions"
  | "emailLinks"
  | "mail"
  | "webhookDeliveries"
  | "auditEvents",
  number
>;

const MAIL_KEEP_MS = 86_400_000;
const DELIVERY_LOG_MS = 30 * 86_400_000;

/** Apps that registered themselves openly (RFC 7591, no initial access token) go after this long without a token. */
export const OPEN_CLIENT_UNUSED_MS = 30 * 86_400_000;

export async function purgeExpiredRows(now = new Date()): Promise<PurgeCounts> {
  const { signInThrottle, signUpThrottle } = getConfig();
  // A counter whose window has run out starts again at its next attempt, so it can go.
  const longestWindowMs = Math.max(signInThrottle.windowSeconds, signUpThrottle.windowSeconds) * 1000;
  const throttleCutoff = new Date(now.getTime() - longestWindowMs);
  const client = db();
  const unusedSince = new Date(now.getTime() - OPEN_CLIENT_UNUSED_MS);
  const [
    revocations,
    authorizationCodes,
    refreshTokens,
    pendingAuthorizations,
    throttleCounters,
    clientAssertions,
    unusedOpenClients,
    pushedRequests,
    deviceAuthorizations,
    refreshAnswers,
    dpopProofs,
    sessions,
    emailLinks,
    mail,
    webhookDeliveries,
    auditEvents,
  ] = await Promise.all([
    inChunks(
      (take) =>
        client.revokedToken
          .findMany({ where: { expiresAt: { lt: now } }, select: { jti: true }, take })
          .then((rows) => rows.map((row) => row.jti)),
      (jtis) => client.revokedToken.deleteMany({ where: { jti: { in: jtis } } }),
    ),
    // A day's grace: a used code presented again still finds its row and revokes what it issued.
    inChunks(
      (take) =>
        client.authorizationCode
          .findMany({ where: { expiresAt: { lt: new Date(now.getTime() - CODE_GRACE_MS) } }, select: { id: true }, take })
          .then(ids),
      (chunk) => client.authorizationCode.deleteMany({ where: { id: { in: chunk } } }),
    ),
    // An expired refresh token is refused before reuse is even considered, so its row is no longer needed.
    inChunks(
      (take) => client.refreshToken.findMany({ where: { expiresAt: { lt: now } }, select: { id: true }, take }).then(ids),
      (chunk) => client.refreshToken.deleteMany({ where: { id: { in: chunk } } }),
    ),
    client.pendingAuthorization.deleteMany({ where: { expiresAt: { lt: now } } }),
    client.loginThrottle.deleteMany({ where: { windowStart: { lt: throttleCutoff } } }),
    // An expired assertion is refused before its jti is looked at, so its row is no longer needed.
    inChunks(
      (take) => client.usedClientAssertion.findMany({ where: { expiresAt: { lt: now } }, select: { id: true }, take }).then(ids),
      (chunk) => client.usedClientAssertion.deleteMany({ where: { id: { in: chunk } } }),
    ),
    deleteUnusedOpenClients(unusedSince),
    client.pushedAuthorizationRequest.deleteMany({ where: { expiresAt: { lt: now } } }),
    client.deviceAuthorization.deleteMany({ where: { expiresAt: { lt: now } } }),
    client.refreshGrace.deleteMany({ where: { expiresAt: { lt: now } } }),
    inChunks(
      (take) => client.usedDpopProof.findMany({ where: { expiresAt: { lt: now } }, select: { id: true }, take }).then(ids),
      (chunk) => client.usedDpopProof.deleteMany({ where: { id: { in: chunk } } }),
    ),
    // Past its absolute end, or idle for longer than the idle lifetime.
    client.session.deleteMany({
      where: {
        OR: [{ expiresAt: { lt: now } }, { lastSeenAt: { lt: new Date(now.getTime() - getConfig().sessionTtl.idleSeconds * 1000) } }],
      },
    }),
    // A day after its end, so the page behind a link can still say "used" or "expired" rather than "not valid".
    client.emailToken.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - MAIL_KEEP_MS) } } }),
    // Given-up mail, and development's outbox, after a day.
    client.mailMessage.deleteMany({
      where: {
        OR: [{ failedAt: { lt: new Date(now.getTime() - MAIL_KEEP_MS) } }, { sentAt: { lt: new Date(now.getTime() - MAIL_KEEP_MS) } }],
      },
    }),
    // The delivery log keeps a month of what was delivered or given up.
    client.webhookDelivery.deleteMany({
      where: {
        OR: [
          { deliveredAt: { lt: new Date(now.getTime() - DELIVERY_LOG_MS) } },
          { failedAt: { lt: new Date(now.getTime() - DELIVERY_LOG_MS) } },
        ],
      },
    }),
    deleteOldEvents(now),
  ]);
  return {
    revocations: revocations.count,
    authorizationCodes: authorizationCodes.count,
    refreshTokens: refreshTokens.count,
    pendingAuthorizations: pendingAuthorizations.count,
    throttleCounters: throttleCounters.count,
    clientAssertions: clientAssertions.count,
    unusedOpenClients: unusedOpenClients.count,
    pushedRequests: pushedRequests.count,
    deviceAuthorizations: deviceAuthorizations.count,
    refreshAnswers: refreshAnswers.count,
    dpopProofs: dpopProofs.count,
    sessions: sessions.count,
    emailLinks: emailLinks.count,
    mail: mail.count,
    webhookDeliveries: webhookDeliveries.count,
    auditEvents: auditEvents.count,
  };
}

/** Rows deleted per statement by `inChunks`. */
export const PURGE_CHUNK = 500;

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

/**
 * Deletes the rows of a table that grows with traffic (tokens, revocations,
 * proofs) PURGE_CHUNK at a time, found through the expiry's index: one
 * statement over all of them would hold the write lock, and on SQLite the
 * event loop, for as long as it takes (a scan without the index grows with
 * the table, and so does deleting a day's worth). Between
 * chunks every other write and request gets its turn.
 */
async function inChunks(
  find: (take: number) => Promise<string[]>,
  remove: (keys: string[]) => Promise<{ count: number }>,
): Promise<{ count: number }> {
  let count = 0;
  for (;;) {
    const keys = await find(PURGE_CHUNK);
    const removed = keys.length > 0 ? (await remove(keys)).count : 0;
    count += removed;
    // A short chunk was the last; one that deleted nothing never repeats (another instance is purging too).
    if (keys.length < PURGE_CHUNK || removed === 0) return { count };
  }
}

/** Nobody vouched for them: an open registration that got no token for 30 days is deleted (its grants with it). */
async function deleteUnusedOpenClients(unusedSince: Date): Promise<{ count: number }> {
  const candidates = await db().client.findMany({
    where: { registeredVia: "open", createdAt: { lt: unusedSince } },
    select: { id: true },
    take: 1000,
  });
  if (candidates.length === 0) return { count: 0 };
  const used = await db().auditEvent.findMany({
    where: {
      clientId: { in: candidates.map((candidate) => candidate.id) },
      type: { in: ["token.issued", "token.refreshed"] },
      createdAt: { gte: unusedSince },
    },
    select: { clientId: true },
    distinct: ["clientId"],
  });
  const keep = new Set(used.map((event) => event.clientId));
  return db().client.deleteMany({ where: { id: { in: candidates.map((candidate) => candidate.id).filter((id) => !keep.has(id)) } } });
}

/** Audit events past AUDIT_LOG_RETENTION_DAYS: the oldest ids, found from the start of the primary key (ids are time-ordered). */
function deleteOldEvents(now: Date): Promise<{ count: number }> {
  const days = getConfig().auditLogRetentionDays;
  if (days === 0) return Promise.resolve({ count: 0 });
  const firstKept = firstTimeOrderedId(now.getTime() - days * 86_400_000);
  return inChunks(
    (take) =>
      db()
        .auditEvent.findMany({ where: { id: { lt: firstKept } }, orderBy: { id: "asc" }, select: { id: true }, take })
        .then(ids),
    (chunk) => db().auditEvent.deleteMany({ where: { id: { in: chunk } } }),
  );
}

/** Purges now and every PURGE_INTERVAL_MS (with jitter, so instances spread out); returns a stop function. */
export function startPurgeSchedule(): () => void {
  let timer: NodeJS.Timeout | undefined;
  const run = () => {
    purgeExpiredRows()
      .catch((error: unknown) => console.error("purging expired rows failed:", error))
      .finally(() => {
        timer = setTimeout(run, PURGE_INTERVAL_MS * (0.75 + Math.random() / 2));
        timer.unref();
      });
  };
  timer = setTimeout(run, 5_000 + Math.random() * 5_000);
  timer.unref();
  return () => clearTimeout(timer);
}
