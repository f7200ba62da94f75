/**
 * The durable queues (mail, back-channel logout deliveries) are rows that any
 * instance may claim; every instance looks for due work this often, so a
 * retry waits at most this long past its time, whichever instance queued it.
 */
export const QUEUE_POLL_MS = 5000;

/** Runs `work` every QUEUE_POLL_MS on this instance; returns a stop function. */
export function pollQueue(name: string, work: () => Promise<void>): () => void {
  const timer = setInterval(() => {
    work().catch((error: unknown) => console.error(`${name} failed:`, error));
  }, QUEUE_POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
