/**
 * Attempt counters in the database, shared by every instance. An attempt is
 * counted before the password is checked, each with one conditional
 * statement (an upsert that opens, restarts or advances the window), so
 * parallel guesses cannot slip past a limit together (security checklist
 * item 29). The counters of one sign-in are taken in one transaction: one
 * commit, not one per counter.
 */
import { dateOf, sql, sqlSession, sqlTransaction, type SqlSession } from "@/lib/sql";

export type AttemptResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A counter: `limit` attempts per window, then none until the window ends;
 * or, with `paceSeconds`, `limit` free attempts per window, then one attempt
 * every `paceSeconds`, which slows guessing down without ever closing the
 * door for a whole window.
 */
export type Counter = { key: string; limit: number; windowSeconds: number; paceSeconds?: number };

const secondsUntil = (moment: number, now: Date) => Math.max(1, Math.ceil((moment - now.getTime()) / 1000));

async function take(session: SqlSession, counter: Counter, now: Date): Promise<AttemptResult> {
  const { key, limit, windowSeconds, paceSeconds } = counter;
  const paced = paceSeconds !== undefined;
  const windowOver = new Date(now.getTime() - windowSeconds * 1000);
  const paceOver = new Date(now.getTime() - (paceSeconds ?? 0) * 1000);
  // A counter without a pace counts every attempt, even over the limit, so a flood keeps its window closed; a paced
  // one changes nothing on a refused attempt, so a flood cannot push the next slot further away.
  const [row] = await session.rows<{ windowStart: unknown; attempts: number | bigint }>(sql`
    INSERT INTO "LoginThrottle" AS t ("key", "attempts", "windowStart", "lastAttemptAt") VALUES (${key}, 1, ${now}, ${now})
    ON CONFLICT ("key") DO UPDATE SET
      "attempts" = CASE WHEN t."windowStart" <= ${windowOver} THEN 1 ELSE t."attempts" + 1 END,
      "windowStart" = CASE WHEN t."windowStart" <= ${windowOver} THEN ${now} ELSE t."windowStart" END,
      "lastAttemptAt" = ${now}
    WHERE ${!paced} OR t."windowStart" <= ${windowOver} OR t."attempts" < ${limit} OR t."lastAttemptAt" <= ${paceOver}
    RETURNING "attempts", "windowStart"`);
  if (paced ? row !== undefined : Number(row!.attempts) <= limit) return { allowed: true };
  if (!paced) return { allowed: false, retryAfterSeconds: secondsUntil(dateOf(row!.windowStart).getTime() + windowSeconds * 1000, now) };
  const [last] = await session.rows<{ lastAttemptAt: unknown }>(sql`SELECT "lastAttemptAt" FROM "LoginThrottle" WHERE "key" = ${key}`);
  const lastAttempt = last?.lastAttemptAt ? dateOf(last.lastAttemptAt).getTime() : now.getTime();
  return { allowed: false, retryAfterSeconds: secondsUntil(lastAttempt + paceSeconds * 1000, now) };
}

/**
 * Takes an attempt from each counter in turn, in one transaction, stopping at
 * the first that refuses (a refused attempt does not use up the next one's
 * allowance).
 */
export async function takeAttempts(counters: readonly Counter[], now = new Date()): Promise<AttemptResult> {
  return sqlTransaction(async (session) => {
    for (const counter of counters) {
      const result = await take(session, counter, now);
      if (!result.allowed) return result;
    }
    return { allowed: true };
  });
}

/** At most `limit` attempts per window; then none until the window ends. */
export async function takeAttempt(key: string, limit: number, windowSeconds: number, now = new Date()): Promise<AttemptResult> {
  return takeAttempts([{ key, limit, windowSeconds }], now);
}

/**
 * Settles counters in one transaction: `giveBack` gets an attempt back (one
 * that should not count against it), `clear` starts again from nothing.
 */
export async function settleAttempts({
  giveBack = [],
  clear = [],
}: {
  giveBack?: readonly string[];
  clear?: readonly string[];
}): Promise<void> {
  await sqlTransaction(async (session) => {
    for (const key of giveBack)
      await session.run(sql`UPDATE "LoginThrottle" SET "attempts" = "attempts" - 1 WHERE "key" = ${key} AND "attempts" > 0`);
    for (const key of clear) await session.run(sql`DELETE FROM "LoginThrottle" WHERE "key" = ${key}`);
  });
}

export async function clearAttempts(...keys: string[]): Promise<void> {
  await settleAttempts({ clear: keys });
}

/** Clears every counter whose key starts with `prefix` (an account's counters from every address). */
export async function clearAttemptsStartingWith(prefix: string): Promise<void> {
  const escaped = prefix.replace(/[\\%_]/g, (character) => `\\${character}`);
  await (await sqlSession()).run(sql`DELETE FROM "LoginThrottle" WHERE "key" LIKE ${`${escaped}%`} ESCAPE '\\'`);
}
