/**
 * Attempt counters in the database, shared by every instance. An attempt is
 * counted before the password is checked, each with one conditional
 * statement, so parallel guesses cannot slip past a limit together (security
 * checklist item 29).
 */
import { db } from "@/lib/db";

export type AttemptResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const secondsUntil = (moment: number, now: Date) => Math.max(1, Math.ceil((moment - now.getTime()) / 1000));

/** Creates the counter, and starts its window again when the old one has run out. */
async function openWindow(key: string, windowSeconds: number, now: Date): Promise<void> {
  // Not Prisma's upsert: on PostgreSQL two first attempts at once would both try to insert.
  await db()
    .$executeRaw`INSERT INTO "LoginThrottle" ("key", "attempts", "windowStart") VALUES (${key}, 0, ${now}) ON CONFLICT ("key") DO NOTHING`;
  const windowStartCutoff = new Date(now.getTime() - windowSeconds * 1000);
  await db().loginThrottle.updateMany({
    where: { key, windowStart: { lte: windowStartCutoff } },
    data: { attempts: 0, windowStart: now, lastAttemptAt: null },
  });
}

/** At most `limit` attempts per window; then none until the window ends. */
export async function takeAttempt(key: string, limit: number, windowSeconds: number, now = new Date()): Promise<AttemptResult> {
  await openWindow(key, windowSeconds, now);
  const counter = await db().loginThrottle.update({ where: { key }, data: { attempts: { increment: 1 }, lastAttemptAt: now } });
  if (counter.attempts <= limit) return { allowed: true };
  return { allowed: false, retryAfterSeconds: secondsUntil(counter.windowStart.getTime() + windowSeconds * 1000, now) };
}

/**
 * `freeAttempts` per window, then one attempt every `paceSeconds`: slows
 * guessing down without ever closing the door for a whole window. Refused
 * attempts change nothing, so a flood cannot push the next slot further away.
 */
export async function takePacedAttempt(
  key: string,
  freeAttempts: number,
  paceSeconds: number,
  windowSeconds: number,
  now = new Date(),
): Promise<AttemptResult> {
  await openWindow(key, windowSeconds, now);
  const paceCutoff = new Date(now.getTime() - paceSeconds * 1000);
  const taken = await db().loginThrottle.updateMany({
    where: { key, OR: [{ attempts: { lt: freeAttempts } }, { lastAttemptAt: { lte: paceCutoff } }] },
    data: { attempts: { increment: 1 }, lastAttemptAt: now },
  });
  if (taken.count === 1) return { allowed: true };
  const counter = await db().loginThrottle.findUnique({ where: { key } });
  return {
    allowed: false,
    retryAfterSeconds: secondsUntil((counter?.lastAttemptAt?.getTime() ?? now.getTime()) + paceSeconds * 1000, now),
  };
}

/** Gives an attempt back (a success that should not count against an address). */
export async function returnAttempt(key: string): Promise<void> {
  await db().loginThrottle.updateMany({ where: { key, attempts: { gt: 0 } }, data: { attempts: { decrement: 1 } } });
}

export async function clearAttempts(...keys: string[]): Promise<void> {
  await db().loginThrottle.deleteMany({ where: { key: { in: keys } } });
}

/** Clears every counter whose key starts with `prefix` (an account's counters from every address). */
export async function clearAttemptsStartingWith(prefix: string): Promise<void> {
  await db().loginThrottle.deleteMany({ where: { key: { startsWith: prefix } } });
}
