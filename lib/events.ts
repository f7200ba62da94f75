/** The audit log: who did what to which client, when and from where. */
import { timeOrderedId } from "@/lib/crypto";
import { db, isDatabaseUnavailable } from "@/lib/db";
import { databaseProvider, sql, sqlSession, sqlTransaction, type SqlSession } from "@/lib/sql";

export type AuditEventType =
  | "user.signed_up"
  | "user.sign_up_requested"
  | "user.password_reset_requested"
  | "user.password_reset"
  | "user.password_changed"
  | "user.profile_updated"
  | "user.email_verification_requested"
  | "user.email_verified"
  | "user.email_changed"
  | "user.second_factor_enabled"
  | "user.second_factor_disabled"
  | "user.recovery_code_used"
  | "user.passkey_added"
  | "user.passkey_removed"
  | "user.deleted"
  | "user.invited"
  | "user.role_changed"
  | "settings.updated"
  | "user.signed_in"
  | "user.sign_in_failed"
  | "user.sign_in_throttled"
  | "client.created"
  | "client.updated"
  | "client.secret_rotated"
  | "client.disabled"
  | "client.enabled"
  | "client.deleted"
  | "grant.revoked"
  | "user.disabled"
  | "user.enabled"
  | "scope.saved"
  | "api.created"
  | "api.updated"
  | "api.deleted"
  | "user.signed_out"
  | "registration_token.created"
  | "registration_token.deleted"
  | "logout.backchannel_delivered"
  | "logout.backchannel_failed"
  | "authorization.approved"
  | "authorization.denied"
  | "token.issued"
  | "token.refreshed"
  | "token.revoked"
  | "token.refresh_reuse_detected"
  | "token.code_reuse_detected";

export type AuditEventInput = {
  type: AuditEventType;
  clientId?: string | null;
  userId?: string | null;
  grantId?: string | null;
  scopes?: string[];
  ip?: string | null;
  details?: Record<string, unknown>;
};

export function auditEventData(event: AuditEventInput) {
  return {
    id: timeOrderedId(),
    type: event.type,
    clientId: event.clientId ?? null,
    userId: event.userId ?? null,
    grantId: event.grantId ?? null,
    scopes: event.scopes?.join(" ") ?? null,
    ip: event.ip ?? null,
    details: event.details ? JSON.stringify(event.details) : null,
    createdAt: new Date(),
  };
}

type AuditRow = ReturnType<typeof auditEventData>;

function insertEvent(session: SqlSession, row: AuditRow): Promise<number> {
  return session.run(sql`INSERT INTO "AuditEvent" ("id", "type", "clientId", "userId", "grantId", "scopes", "ip", "details", "createdAt")
    VALUES (${row.id}, ${row.type}, ${row.clientId}, ${row.userId}, ${row.grantId}, ${row.scopes}, ${row.ip}, ${row.details}, ${row.createdAt})`);
}

/** Writes a batch of events in one statement (PostgreSQL) or one transaction of prepared inserts (SQLite, microseconds each). */
async function insertEvents(rows: AuditRow[]): Promise<void> {
  if (databaseProvider() === "postgresql") {
    // Dates travel as ISO text, which a timestamp without time zone takes as the UTC it is.
    await (await sqlSession()).run(sql`INSERT INTO "AuditEvent" ("id", "type", "clientId", "userId", "grantId", "scopes", "ip", "details", "createdAt")
      SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json)
      AS e("id" text, "type" text, "clientId" text, "userId" text, "grantId" text, "scopes" text, "ip" text, "details" text, "createdAt" timestamp(3))`);
    return;
  }
  await sqlTransaction(async (tx) => {
    for (const row of rows) await insertEvent(tx, row);
  });
}

/**
 * Records one event now, in the caller's transaction when the event belongs
 * to its changes (a Prisma transaction passes `prismaSession(tx)`).
 */
export async function recordEvent(event: AuditEventInput, session?: SqlSession): Promise<void> {
  await insertEvent(session ?? (await sqlSession()), auditEventData(event));
}

/**
 * Events on the hottest paths (tokens issued and refreshed) are written in
 * batches: one insert of many rows every few milliseconds instead of one
 * insert per request, outside the token transactions. At most FLUSH_AFTER_MS of events can be lost if the
 * process dies; `npm start` flushes on shutdown.
 */
const FLUSH_AFTER_MS = 25;
const FLUSH_AT = 500;
const RETRY_AFTER_MS = 1000;
const MAX_HELD_WHILE_UNAVAILABLE = 20_000;
const queue = globalThis as unknown as { portalEventQueue?: { pending: ReturnType<typeof auditEventData>[]; timer?: NodeJS.Timeout } };

export function queueEvent(event: AuditEventInput): void {
  const state = (queue.portalEventQueue ??= { pending: [] });
  state.pending.push(auditEventData(event));
  if (state.pending.length >= FLUSH_AT) void flushEvents();
  else state.timer ??= setTimeout(() => void flushEvents(), FLUSH_AFTER_MS);
}

export async function flushEvents(): Promise<void> {
  const state = queue.portalEventQueue;
  if (!state) return;
  clearTimeout(state.timer);
  state.timer = undefined;
  const batch = state.pending.splice(0);
  if (batch.length === 0) return;
  try {
    await insertEvents(batch);
  } catch (error) {
    // The database is down or restarting: keep the events (up to a bound) and try again.
    if (isDatabaseUnavailable(error) && state.pending.length + batch.length <= MAX_HELD_WHILE_UNAVAILABLE) {
      state.pending.unshift(...batch);
      state.timer ??= setTimeout(() => void flushEvents(), RETRY_AFTER_MS);
      return;
    }
    console.error(`could not write ${batch.length} audit events:`, error);
  }
}

/** Recent events, newest first, with the email of the person each concerns. */
export async function listEvents(filter: { clientId?: string; type?: string; limit?: number } = {}) {
  const events = await db().auditEvent.findMany({
    where: { ...(filter.clientId ? { clientId: filter.clientId } : {}), ...(filter.type ? { type: filter.type } : {}) },
    orderBy: { createdAt: "desc" },
    take: filter.limit ?? 50,
  });
  const userIds = [...new Set(events.map((event) => event.userId).filter((id): id is string => id !== null))];
  const users = await db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } });
  const emails = new Map(users.map((user) => [user.id, user.email]));
  return events.map((event) => ({ ...event, userEmail: event.userId ? (emails.get(event.userId) ?? null) : null }));
}

/** When each client last had an event (its last activity). */
export async function lastActivity(clientIds: string[]): Promise<Map<string, Date>> {
  if (clientIds.length === 0) return new Map();
  const rows = await db().auditEvent.groupBy({ by: ["clientId"], where: { clientId: { in: clientIds } }, _max: { createdAt: true } });
  return new Map(rows.filter((row) => row.clientId && row._max.createdAt).map((row) => [row.clientId!, row._max.createdAt!]));
}
