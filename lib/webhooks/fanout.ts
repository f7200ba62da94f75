/**
 * Which webhooks an event goes to: those of its app, and the portal-wide ones
 * (an admin's), each when it asked for the event's type. The list of active
 * webhooks is cached for FANOUT_CACHE_MS, so a webhook registered at another
 * instance receives events from this one at most that much later; with none
 * registered, recording an event costs nothing more.
 */
import { randomBytes } from "node:crypto";
import { activeWebhooks, type DeliveryRow } from "@/lib/webhooks/store";

export const FANOUT_CACHE_MS = 10_000;

type Hook = { id: string; clientId: string | null; events: Set<string> | "*" };
type Cache = { at: number; hooks: Promise<Hook[]> };
// On globalThis: the pages' bundle and the protocol routes load this module separately, and a change made
// through one (the dashboard) must be seen at once by the other (the token endpoint) in the same process.
const holder = globalThis as unknown as { portalWebhookCache?: Cache };

function hooks(): Promise<Hook[]> {
  const cached = holder.portalWebhookCache;
  if (cached && Date.now() - cached.at < FANOUT_CACHE_MS) return cached.hooks;
  const loading = activeWebhooks().then((rows) =>
    rows.map((row) => ({
      id: row.id,
      clientId: row.clientId,
      events: row.events === "*" ? ("*" as const) : new Set(row.events.split(" ")),
    })),
  );
  holder.portalWebhookCache = { at: Date.now(), hooks: loading };
  loading.catch(() => (holder.portalWebhookCache = undefined));
  return loading;
}

/** A change on this instance is seen at once here. */
export function forgetWebhookCache(): void {
  holder.portalWebhookCache = undefined;
}

/** The audit row's fields a delivery carries (never the address: a webhook is not the place for people's IPs). */
export type EventRow = {
  id: string;
  type: string;
  clientId: string | null;
  userId: string | null;
  grantId: string | null;
  scopes: string | null;
  details: string | null;
  createdAt: Date;
};

/** Standard Webhooks message ids: "msg_" and 24 random bytes. */
function messageId(): string {
  return `msg_${randomBytes(18).toString("base64url")}`;
}

export async function deliveriesFor(events: readonly EventRow[]): Promise<DeliveryRow[]> {
  return (await webhookFanout())(events);
}

/**
 * The active webhooks, read now (or cached), as a function that computes an
 * event's deliveries without reading anything: for events written inside a
 * transaction, which must not wait for a second connection while it holds
 * locks (on PostgreSQL the other connections of the pool may all be waiting
 * for those locks).
 */
export async function webhookFanout(): Promise<(events: readonly EventRow[]) => DeliveryRow[]> {
  const active = await hooks();
  return (events) => deliveriesAmong(active, events);
}

function deliveriesAmong(active: readonly Hook[], events: readonly EventRow[]): DeliveryRow[] {
  if (active.length === 0) return [];
  const rows: DeliveryRow[] = [];
  for (const event of events) {
    for (const hook of active) {
      if (hook.clientId !== null && hook.clientId !== event.clientId) continue;
      if (hook.events !== "*" && !hook.events.has(event.type)) continue;
      const payload = JSON.stringify({
        type: event.type,
        timestamp: event.createdAt.toISOString(),
        data: {
          event_id: event.id,
          client_id: event.clientId,
          user_id: event.userId,
          grant_id: event.grantId,
          scopes: event.scopes ? event.scopes.split(" ") : [],
          details: event.details ? JSON.parse(event.details) : {},
        },
      });
      rows.push({
        id: messageId(),
        webhookId: hook.id,
        eventType: event.type,
        payload,
        nextAttemptAt: event.createdAt,
        createdAt: event.createdAt,
      });
    }
  }
  return rows;
}
