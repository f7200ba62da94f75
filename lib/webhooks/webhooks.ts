/**
 * Webhooks: app owners (for their app) and admins (for the whole portal)
 * register HTTPS endpoints that receive the audit log's events as JSON,
 * signed per Standard Webhooks. Deliveries are written with their events
 * (lib/webhooks/fanout.ts) and sent by any instance from that durable
 * outbox, retried with exponential backoff for about a day; nothing is lost
 * when an instance stops. Each delivery keeps its status for the log, and
 * can be sent again.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { seal, unseal } from "@/lib/crypto";
import { AUDIT_EVENT_LABELS } from "@/lib/event-types";
import { outboundRequest } from "@/lib/outbound";
import { forgetWebhookCache } from "@/lib/webhooks/fanout";
import { newWebhookSecret, signWebhook } from "@/lib/webhooks/signature";
import { retryAt, workConcurrently } from "@/lib/queues";
import {
  claimDueDeliveries,
  deleteWebhookRow,
  deleteWebhooksCreatedBy,
  findDelivery,
  findWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  markAttemptFailed,
  markDelivered,
  requeueDelivery,
} from "@/lib/webhooks/store";

const SEAL_PURPOSE = "webhook-secret";

export class WebhookRuleError extends Error {
  override name = "WebhookRuleError";
}

/** HTTPS, or http to this machine in development; no credentials or fragment in it. */
export const webhookUrlSchema = z
  .string()
  .trim()
  .min(1, "Enter the URL that receives the events")
  .max(2000, "The URL is too long")
  .refine((value) => {
    try {
      const url = new URL(value);
      const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
      return (
        !url.username &&
        !url.password &&
        !url.hash &&
        (url.protocol === "https:" || (url.protocol === "http:" && loopback && !getConfig().production))
      );
    } catch {
      return false;
    }
  }, "Use an https:// URL (http://localhost only in development), without credentials or #fragment");

export const webhookEventsSchema = z
  .array(z.string())
  .min(1, "Choose at least one event, or every event")
  .refine((events) => events.every((event) => event === "*" || event in AUDIT_EVENT_LABELS), "Choose events from the list")
  .transform((events) => (events.includes("*") ? "*" : [...new Set(events)].join(" ")));

export type Scope = { clientId: string | null };

/** Registers a webhook; returns it with its signing secret, shown only now. */
export async function registerWebhook(input: { url: string; events: string[] }, scope: Scope, actorId: string) {
  const url = webhookUrlSchema.parse(input.url);
  const events = webhookEventsSchema.parse(input.events);
  const secret = newWebhookSecret();
  const webhook = await insertWebhook({
    id: randomUUID(),
    clientId: scope.clientId,
    createdById: actorId,
    url,
    secretSealed: seal(secret, SEAL_PURPOSE),
    events,
  });
  forgetWebhookCache();
  return { webhook, secret };
}

export async function webhooksOf(scope: Scope) {
  const webhooks = await listWebhooks(scope.clientId);
  return Promise.all(webhooks.map(async (webhook) => ({ ...webhook, deliveries: await listDeliveries(webhook.id, 20) })));
}

/** The webhook, when it belongs to this scope (an app's page only manages that app's). */
async function webhookIn(scope: Scope, id: string) {
  const webhook = await findWebhook(id);
  if (!webhook || webhook.clientId !== scope.clientId) throw new WebhookRuleError("That webhook does not exist here.");
  return webhook;
}

export async function deleteWebhook(scope: Scope, id: string): Promise<void> {
  await webhookIn(scope, id);
  await deleteWebhookRow(id);
  forgetWebhookCache();
}

/** When apps (or, with null, the whole portal) leave someone (account deleted): the webhooks that person made on them go, since their addresses are that person's. */
export async function removeWebhooksCreatedBy(userId: string, clientIds: (string | null)[]): Promise<void> {
  if (clientIds.length === 0) return;
  await deleteWebhooksCreatedBy(userId, clientIds);
  forgetWebhookCache();
}

/** "Send again": the delivery is due now, with its message id unchanged, as any retry (receivers use it to spot repeats). */
export async function sendAgain(scope: Scope, deliveryId: string): Promise<void> {
  const delivery = await findDelivery(deliveryId);
  if (!delivery || delivery.webhook.clientId !== scope.clientId) throw new WebhookRuleError("That delivery does not exist here.");
  await requeueDelivery(deliveryId);
  void deliverDueWebhooks().catch((error: unknown) => console.error("webhook delivery failed:", error));
}

/** Seconds before each retry (about 24 hours in all); after the last, the delivery is given up. */
export const RETRY_DELAYS = [5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 28_800];
const TIMEOUT_MS = 10_000;

/** Webhook deliveries in flight at once per instance. */
const DELIVERY_CONCURRENCY = 5;

/** Sends what is due; each delivery is claimed first, so instances never send one twice at once. */
export async function deliverDueWebhooks(): Promise<void> {
  await workConcurrently(claimDueDeliveries, deliverWebhook, { concurrency: DELIVERY_CONCURRENCY, rounds: 4 });
}

async function deliverWebhook(delivery: Awaited<ReturnType<typeof claimDueDeliveries>>[number]): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000);
  const secret = unseal(delivery.webhook.secretSealed, SEAL_PURPOSE);
  let outcome: { status: number | null; error: string | null };
  try {
    const response = await outboundRequest(delivery.webhook.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": `${getConfig().brand.name} webhooks`,
        "webhook-id": delivery.id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signWebhook(secret, delivery.id, timestamp, delivery.payload),
      },
      body: delivery.payload,
      timeoutMs: TIMEOUT_MS,
    });
    outcome = { status: response.status, error: response.status >= 200 && response.status < 300 ? null : `answered ${response.status}` };
  } catch (error) {
    outcome = { status: null, error: (error as Error).message };
  }
  if (outcome.error === null) {
    await markDelivered(delivery.id, outcome.status!);
    return;
  }
  await markAttemptFailed(delivery.id, { status: outcome.status, error: outcome.error }, retryAt(RETRY_DELAYS, delivery.attempts));
}
