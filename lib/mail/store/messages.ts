/**
 * Mail waiting to go out, as rows: nothing is lost when an instance stops, and
 * each message is claimed by one instance at a time before it is sent.
 */
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import type { MailMessage } from "@/lib/generated/prisma/client";

export async function insertMessage(input: { to: string; subject: string; bodySealed: string }): Promise<void> {
  await db().mailMessage.create({ data: { id: randomUUID(), ...input, nextAttemptAt: new Date() } });
}

const CLAIM_MS = 60_000;

/** Claims up to `limit` messages that are due and not held by another instance. */
export async function claimDueMessages(limit: number): Promise<MailMessage[]> {
  const now = new Date();
  const unclaimed = [{ claimedUntil: null }, { claimedUntil: { lt: now } }];
  const due = await db().mailMessage.findMany({
    where: { sentAt: null, failedAt: null, nextAttemptAt: { lte: now }, OR: unclaimed },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
  });
  const claimed: MailMessage[] = [];
  for (const message of due) {
    // The same condition again: of two instances that read the row, one update wins.
    const { count } = await db().mailMessage.updateMany({
      where: { id: message.id, sentAt: null, OR: unclaimed },
      data: { claimedUntil: new Date(now.getTime() + CLAIM_MS) },
    });
    if (count === 1) claimed.push(message);
  }
  return claimed;
}

/** Sent: kept (development's outbox shows it) or deleted (its body holds one-time links). */
export async function markSent(id: string, keep: boolean): Promise<void> {
  if (keep) await db().mailMessage.update({ where: { id }, data: { sentAt: new Date(), attempts: { increment: 1 }, claimedUntil: null } });
  else await db().mailMessage.delete({ where: { id } });
}

/** After a failed attempt: try again at `retryAt`, or give up when it is null. */
export async function markAttemptFailed(id: string, error: string, retryAt: Date | null): Promise<void> {
  await db().mailMessage.update({
    where: { id },
    data: {
      attempts: { increment: 1 },
      claimedUntil: null,
      lastError: error.slice(0, 500),
      ...(retryAt ? { nextAttemptAt: retryAt } : { failedAt: new Date() }),
    },
  });
}

/** Development's outbox, newest first. */
export function listSentMessages(limit: number): Promise<MailMessage[]> {
  return db().mailMessage.findMany({ where: { sentAt: { not: null } }, orderBy: { createdAt: "desc" }, take: limit });
}
