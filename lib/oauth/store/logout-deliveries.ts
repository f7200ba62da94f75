/**
 * Back-channel logout deliveries waiting to be made: rows, so that nothing is
 * lost when an instance stops; each claimed by one instance at a time.
 */
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import type { LogoutDelivery } from "@/lib/generated/prisma/client";

/** One delivery per app with a backchannel_logout_uri that the person has authorized (and not revoked). */
export async function enqueueLogoutDeliveries(userId: string, sid: string | null): Promise<number> {
  const clients = await db().client.findMany({
    where: { backchannelLogoutUri: { not: null }, disabledAt: null, grants: { some: { userId, revokedAt: null } } },
    select: { id: true, backchannelLogoutUri: true },
  });
  const now = new Date();
  await db().logoutDelivery.createMany({
    data: clients.map((client) => ({
      id: randomUUID(),
      clientId: client.id,
      userId,
      sid,
      uri: client.backchannelLogoutUri!,
      nextAttemptAt: now,
    })),
  });
  return clients.length;
}

const CLAIM_MS = 30_000;

/** Claims up to `limit` deliveries that are due and not held by another instance. */
export async function claimDueDeliveries(limit: number): Promise<LogoutDelivery[]> {
  const now = new Date();
  const due = await db().logoutDelivery.findMany({
    where: { deliveredAt: null, failedAt: null, nextAttemptAt: { lte: now }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
  });
  const claimed: LogoutDelivery[] = [];
  for (const delivery of due) {
    // The same condition again: of two instances that read the row, one update wins.
    const { count } = await db().logoutDelivery.updateMany({
      where: { id: delivery.id, deliveredAt: null, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
      data: { claimedUntil: new Date(now.getTime() + CLAIM_MS) },
    });
    if (count === 1) claimed.push(delivery);
  }
  return claimed;
}

export async function markDelivered(id: string): Promise<void> {
  await db().logoutDelivery.update({
    where: { id },
    data: { deliveredAt: new Date(), attempts: { increment: 1 }, claimedUntil: null, lastError: null },
  });
}

/** After a failed attempt: try again at `retryAt`, or give up when it is null. */
export async function markAttemptFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
  await db().logoutDelivery.update({
    where: { id },
    data: {
      attempts: { increment: 1 },
      claimedUntil: null,
      lastError: error.slice(0, 500),
      ...(retryAt ? { nextAttemptAt: retryAt } : { failedAt: new Date() }),
    },
  });
}
