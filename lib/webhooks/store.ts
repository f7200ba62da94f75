/** Webhooks and their deliveries as rows; deliveries are claimed by one instance at a time. */
import { db } from "@/lib/db";
import type { Webhook, WebhookDelivery } from "@/lib/generated/prisma/client";
import { databaseProvider, statementText, tableOf, type SqlSession } from "@/lib/sql";

export async function insertWebhook(data: {
  id: string;
  clientId: string | null;
  createdById: string;
  url: string;
  secretSealed: string;
  events: string;
}): Promise<Webhook> {
  return db().webhook.create({ data });
}

export function listWebhooks(clientId: string | null) {
  return db().webhook.findMany({ where: { clientId }, orderBy: { createdAt: "asc" } });
}

export function findWebhook(id: string) {
  return db().webhook.findUnique({ where: { id } });
}

export async function deleteWebhookRow(id: string): Promise<void> {
  await db().webhook.deleteMany({ where: { id } });
}

/** The webhooks this person made on these apps (null: the portal-wide ones). */
export async function deleteWebhooksCreatedBy(userId: string, clientIds: (string | null)[]): Promise<void> {
  const apps = clientIds.filter((id): id is string => id !== null);
  const portalWide = clientIds.includes(null) ? [{ clientId: null }] : [];
  await db().webhook.deleteMany({ where: { createdById: userId, OR: [{ clientId: { in: apps } }, ...portalWide] } });
}

/** The webhooks that receive events now, for the fan-out cache. */
export function activeWebhooks() {
  return db().webhook.findMany({ where: { disabledAt: null }, select: { id: true, clientId: true, events: true } });
}

export type DeliveryRow = { id: string; webhookId: string; eventType: string; payload: string; nextAttemptAt: Date; createdAt: Date };

/**
 * Written with the events they carry, in the same transaction (or statement)
 * as those. A webhook deleted meanwhile (the fan-out's list may be seconds
 * old) gets none, rather than failing the events' write.
 */
const DELIVERY = tableOf<DeliveryRow>("WebhookDelivery", {
  id: "text",
  webhookId: "text",
  eventType: "text",
  payload: "text",
  nextAttemptAt: "timestamp(3)",
  createdAt: "timestamp(3)",
});
const WEBHOOK_STILL_THERE = `WHERE EXISTS (SELECT 1 FROM "Webhook" w WHERE w."id" = d."webhookId")`;
const insertManyDeliveries = statementText(
  `INSERT INTO "WebhookDelivery" (${DELIVERY.list}) SELECT d.* FROM json_to_recordset(?::json) AS d(${DELIVERY.recordType}) ${WEBHOOK_STILL_THERE}`,
);
const insertOneDelivery = statementText(
  `INSERT INTO "WebhookDelivery" (${DELIVERY.list}) SELECT d.* FROM (SELECT ${DELIVERY.list
    .split(", ")
    .map((column) => `? AS ${column}`)
    .join(", ")}) d ${WEBHOOK_STILL_THERE}`,
);

export async function insertDeliveries(session: SqlSession, rows: DeliveryRow[]): Promise<void> {
  if (rows.length === 0) return;
  if (databaseProvider() === "postgresql") {
    await session.run(insertManyDeliveries(JSON.stringify(rows)));
    return;
  }
  for (const row of rows) await session.run(insertOneDelivery(...DELIVERY.valuesOf(row)));
}

const CLAIM_MS = 20_000;

/** Claims up to `limit` deliveries that are due and not held by another instance. */
export async function claimDueDeliveries(limit: number): Promise<(WebhookDelivery & { webhook: Webhook })[]> {
  const now = new Date();
  const unclaimed = [{ claimedUntil: null }, { claimedUntil: { lt: now } }];
  const due = await db().webhookDelivery.findMany({
    where: { deliveredAt: null, failedAt: null, nextAttemptAt: { lte: now }, OR: unclaimed },
    include: { webhook: true },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
  });
  const claimed: (WebhookDelivery & { webhook: Webhook })[] = [];
  for (const delivery of due) {
    // The same condition again: of two instances that read the row, one update wins.
    const { count } = await db().webhookDelivery.updateMany({
      where: { id: delivery.id, deliveredAt: null, failedAt: null, OR: unclaimed },
      data: { claimedUntil: new Date(now.getTime() + CLAIM_MS) },
    });
    if (count === 1) claimed.push(delivery);
  }
  return claimed;
}

export async function markDelivered(id: string, status: number): Promise<void> {
  await db().webhookDelivery.update({
    where: { id },
    data: { deliveredAt: new Date(), attempts: { increment: 1 }, claimedUntil: null, lastStatus: status, lastError: null },
  });
}

/** After a failed attempt: try again at `retryAt`, or give up when it is null. */
export async function markAttemptFailed(
  id: string,
  outcome: { status: number | null; error: string },
  retryAt: Date | null,
): Promise<void> {
  await db().webhookDelivery.update({
    where: { id },
    data: {
      attempts: { increment: 1 },
      claimedUntil: null,
      lastStatus: outcome.status,
      lastError: outcome.error.slice(0, 500),
      ...(retryAt ? { nextAttemptAt: retryAt } : { failedAt: new Date() }),
    },
  });
}

export function listDeliveries(webhookId: string, limit: number) {
  return db().webhookDelivery.findMany({ where: { webhookId }, orderBy: { createdAt: "desc" }, take: limit });
}

/** "Send again": due now, whatever became of it. */
export async function requeueDelivery(id: string): Promise<void> {
  await db().webhookDelivery.update({
    where: { id },
    data: { nextAttemptAt: new Date(), deliveredAt: null, failedAt: null, claimedUntil: null },
  });
}

export function findDelivery(id: string) {
  return db().webhookDelivery.findUnique({ where: { id }, include: { webhook: true } });
}
