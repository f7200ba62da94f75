/**
 * The durable queues (mail, back-channel logout deliveries) are rows that any
 * instance may claim; every instance looks for due work this often, so a
 * retry waits at most this long past its time, whichever instance queued it.
 */
export const QUEUE_POLL_MS = 5000;

/** When a failed attempt is tried again: the schedule's next delay (seconds) after `attempts` so far, or null when it is given up. */
export function retryAt(delays: readonly number[], attempts: number, now = Date.now()): Date | null {
  const delay = delays[attempts];
  return delay === undefined ? null : new Date(now + delay * 1000);
}

/**
 * Works off due rows `concurrency` at a time: claims that many, sends them at
 * once, then claims again, for at most `rounds` rounds. Each round ends within
 * one outbound deadline, well inside a claim, so a slow receiver neither holds
 * up the others nor outlives its claim (which would let another instance send
 * the same row again).
 */
export async function workConcurrently<T>(
  claim: (limit: number) => Promise<T[]>,
  work: (row: T) => Promise<void>,
  options: { concurrency: number; rounds: number },
): Promise<void> {
  for (let round = 0; round < options.rounds; round++) {
    const rows = await claim(options.concurrency);
    if (rows.length === 0) return;
    await Promise.all(rows.map((row) => work(row)));
    if (rows.length < options.concurrency) return;
  }
}

/** Runs `work` every QUEUE_POLL_MS on this instance; returns a stop function. */
export function pollQueue(name: string, work: () => Promise<void>): () => void {
  const timer = setInterval(() => {
    work().catch((error: unknown) => console.error(`${name} failed:`, error));
  }, QUEUE_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
