/** The audit log: who did what to which client, when and from where. */
import { timeOrderedId } from "@/lib/crypto";
import { db, searchNameOf, startingWith, isDatabaseUnavailable } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { databaseProvider, insertRows, prismaSession, sqlSession, sqlTransaction, tableOf, type SqlSession } from "@/lib/sql";

import { eventLabel, FAILURE_EVENTS, type AuditEventType } from "@/lib/event-types";
import { deliveriesFor, webhookFanout } from "@/lib/webhooks/fanout";
import { insertDeliveries, type DeliveryRow } from "@/lib/webhooks/store";
import { deliverDueWebhooks } from "@/lib/webhooks/webhooks";

export { AUDIT_EVENT_LABELS, eventLabel, FAILURE_EVENTS, type AuditEventType } from "@/lib/event-types";

export type AuditEventInput = {
  type: AuditEventType;
  clientId?: string | null;
  userId?: string | null;
  grantId?: string | null;
  scopes?: string[];
  ip?: string | null;
  details?: Record<string, unknown>;
};

function auditEventData(event: AuditEventInput) {
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

const AUDIT_EVENT = tableOf<AuditRow>("AuditEvent", {
  id: "text",
  type: "text",
  clientId: "text",
  userId: "text",
  grantId: "text",
  scopes: "text",
  ip: "text",
  details: "text",
  createdAt: "timestamp(3)",
});

/**
 * Writes a batch of events, with the webhook deliveries they make in the same
 * transaction, so none is lost or sent for an event that was not recorded.
 */
async function insertEvents(rows: AuditRow[]): Promise<void> {
  const deliveries = await deliveriesFor(rows);
  const write = async (session: SqlSession) => {
    await insertRows(session, AUDIT_EVENT, rows);
    await insertDeliveries(session, deliveries);
  };
  // One statement needs no transaction of its own on PostgreSQL.
  if (databaseProvider() === "postgresql" && deliveries.length === 0) await write(await sqlSession());
  else await sqlTransaction(write);
  if (deliveries.length > 0) sendWebhooksSoon();
}

/** Records one event now, with its webhook deliveries. */
export async function recordEvent(event: AuditEventInput): Promise<void> {
  const row = auditEventData(event);
  const deliveries = await deliveriesFor([row]);
  if (deliveries.length === 0) await (await sqlSession()).run(AUDIT_EVENT.insertOne(row));
  else await sqlTransaction((session) => writeEventRow(session, row, deliveries));
  if (deliveries.length > 0) sendWebhooksSoon();
}

/**
 * For an event that belongs to a transaction's changes: call this before the
 * transaction, and the function it returns inside it (a Prisma transaction
 * passes `prismaSession(tx)`). The webhooks the event goes to are read here,
 * so that inside, holding its locks, the transaction waits on nothing but its
 * own statements.
 */
export async function eventRecorder(): Promise<(event: AuditEventInput, session: SqlSession) => Promise<void>> {
  const fanout = await webhookFanout();
  return async (event, session) => {
    const row = auditEventData(event);
    const deliveries = fanout([row]);
    await writeEventRow(session, row, deliveries);
    if (deliveries.length > 0) sendWebhooksSoon();
  };
}

/** Makes a change and records its event, with the event's webhook deliveries, in one transaction. */
export async function recordedChange<T>(event: AuditEventInput, change: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  const record = await eventRecorder();
  return db().$transaction(async (tx) => {
    const result = await change(tx);
    await record(event, prismaSession(tx));
    return result;
  });
}

async function writeEventRow(session: SqlSession, row: AuditRow, deliveries: DeliveryRow[]): Promise<void> {
  await session.run(AUDIT_EVENT.insertOne(row));
  await insertDeliveries(session, deliveries);
}

/** The deliveries just written go out now, not at the next poll (any instance would send them within QUEUE_POLL_MS anyway). */
function sendWebhooksSoon(): void {
  setTimeout(() => void deliverDueWebhooks().catch((error: unknown) => console.error("webhook delivery failed:", error)), 20).unref();
}

/**
 * Events on the hottest paths (tokens issued and refreshed) are written in
 * batches: one insert of many rows every few milliseconds instead of one
 * insert per request, outside the token transactions. At most FLUSH_AFTER_MS of events can be lost if the
 * process dies; `npm start` flushes on shutdown, and waits for the batches already on their way.
 */
const FLUSH_AFTER_MS = 25;
const FLUSH_AT = 500;
const RETRY_AFTER_MS = 1000;
const MAX_HELD_WHILE_UNAVAILABLE = 20_000;
type EventQueue = { pending: AuditRow[]; timer?: NodeJS.Timeout; writing?: Promise<void> };
const queue = globalThis as unknown as { portalEventQueue?: EventQueue };

export function queueEvent(event: AuditEventInput): void {
  const state = (queue.portalEventQueue ??= { pending: [] });
  state.pending.push(auditEventData(event));
  if (state.pending.length >= FLUSH_AT) void flushEvents();
  else state.timer ??= setTimeout(() => void flushEvents(), FLUSH_AFTER_MS);
}

/** Resolves once every event queued so far is written (or held for a retry), batches already on their way included. */
export async function flushEvents(): Promise<void> {
  const state = queue.portalEventQueue;
  if (!state) return;
  clearTimeout(state.timer);
  state.timer = undefined;
  const batch = state.pending.splice(0);
  const earlier = state.writing;
  const writing = Promise.all([batch.length > 0 ? writeBatch(state, batch) : undefined, earlier]).then(() => undefined);
  state.writing = writing;
  await writing;
  if (state.writing === writing) state.writing = undefined;
}

async function writeBatch(state: EventQueue, batch: AuditRow[]): Promise<void> {
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

export type EventFilter = {
  clientId?: string;
  type?: string;
  failuresOnly?: boolean;
  /** A person's email, an app's name or id, or an address (part of one). */
  search?: string;
  /** Events older than this one (ids are time-ordered): the next page. */
  before?: string;
  limit?: number;
};

/**
 * A page of events, newest first, with the email of the person and the name
 * of the app each concerns, and the cursor of the next page when there is one.
 */
export async function listEvents(filter: EventFilter = {}) {
  const limit = filter.limit ?? 50;
  const search = filter.search?.replaceAll("\u0000", "").trim();
  const [people, apps] = search
    ? await Promise.all([
        db().user.findMany({ where: { email: startingWith(searchNameOf(search)) }, select: { id: true }, take: 200 }),
        db().client.findMany({
          where: { OR: [{ searchName: startingWith(searchNameOf(search)) }, { id: search }] },
          select: { id: true },
          take: 200,
        }),
      ])
    : [[], []];
  const events = await db().auditEvent.findMany({
    where: {
      ...(filter.clientId ? { clientId: filter.clientId } : {}),
      ...(filter.type ? { type: filter.type } : filter.failuresOnly ? { type: { in: [...FAILURE_EVENTS] } } : {}),
      ...(filter.before ? { id: { lt: filter.before } } : {}),
      ...(search
        ? {
            OR: [
              { userId: { in: people.map((person) => person.id) } },
              { clientId: { in: apps.map((app) => app.id) } },
              { ip: { startsWith: search } },
            ],
          }
        : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = events.slice(0, limit);
  const userIds = [...new Set(page.map((event) => event.userId).filter((id): id is string => id !== null))];
  const clientIds = [...new Set(page.map((event) => event.clientId).filter((id): id is string => id !== null))];
  const [users, clients] = await Promise.all([
    db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }),
    db().client.findMany({ where: { id: { in: clientIds } }, select: { id: true, name: true } }),
  ]);
  const emails = new Map(users.map((user) => [user.id, user.email]));
  const names = new Map(clients.map((client) => [client.id, client.name]));
  return {
    events: page.map((event) => ({
      ...event,
      label: eventLabel(event.type),
      explanation: explanationOf(event.type, event.details),
      failure: (FAILURE_EVENTS as readonly string[]).includes(event.type),
      userEmail: event.userId ? (emails.get(event.userId) ?? null) : null,
      clientName: event.clientId ? (names.get(event.clientId) ?? null) : null,
    })),
    nextBefore: events.length > limit ? page[page.length - 1]!.id : null,
  };
}

/** What a failed call's owner reads beside it: where, the RFC error, and why in words. */
function explanationOf(type: string, details: string | null): string | null {
  if (type !== "request.failed" || !details) return null;
  try {
    const { endpoint, error, reason, similarBefore } = JSON.parse(details) as {
      endpoint?: string;
      error?: string;
      reason?: string;
      similarBefore?: number;
    };
    const more = similarBefore ? ` (${similarBefore} more like it just before were not recorded)` : "";
    return `${endpoint ?? "?"} answered ${error ?? "an error"}: ${reason ?? "no reason recorded"}${more}`;
  } catch {
    return null;
  }
}

/** When each client last had an event (its last activity): one step down the (clientId, id) index per app. */
export async function lastActivity(clientIds: string[]): Promise<Map<string, Date>> {
  const latest = await Promise.all(
    clientIds.map((clientId) =>
      db()
        .auditEvent.findFirst({ where: { clientId }, orderBy: { id: "desc" }, select: { createdAt: true } })
        .then((event) => [clientId, event?.createdAt] as const),
    ),
  );
  return new Map(latest.filter((entry): entry is readonly [string, Date] => entry[1] !== undefined));
}
