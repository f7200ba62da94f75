/**
 * Fixed-window attempt counters in the database, shared by every instance.
 * An attempt is counted before the password is checked, with an atomic
 * increment, so parallel guesses cannot slip past the limit together
 * (security checklist item 29).
 */
import { db } from "@/lib/db";

export type AttemptResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export async function takeAttempt(key: string, limit: number, windowSeconds: number, now = new Date()): Promise<AttemptResult> {
  const windowStartCutoff = new Date(now.getTime() - windowSeconds * 1000);
  const throttle = db().loginThrottle;
  await throttle.upsert({ where: { key }, create: { key, attempts: 0, windowStart: now }, update: {} });
  // A window that has run out starts again; both statements are atomic.
  await throttle.updateMany({ where: { key, windowStart: { lte: windowStartCutoff } }, data: { attempts: 0, windowStart: now } });
  const counter = await throttle.update({ where: { key }, data: { attempts: { increment: 1 } } });
  if (counter.attempts <= limit) return { allowed: true };
  const windowEnd = counter.windowStart.getTime() + windowSeconds * 1000;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)) };
}

/** Gives an attempt back (a success that should not count against an address). */
export async function returnAttempt(key: string): Promise<void> {
  await db().loginThrottle.updateMany({ where: { key, attempts: { gt: 0 } }, data: { attempts: { decrement: 1 } } });
}

export async function clearAttempts(key: string): Promise<void> {
  await db().loginThrottle.deleteMany({ where: { key } });
}
