/**
 * Failed calls at the token, revocation and introspection endpoints, recorded
 * for the app that made them with the reason in words (only its owner sees
 * it, in the app's activity; the caller gets the RFC's answer and nothing
 * more). Sampled so that a flood of failures never makes logging the
 * bottleneck: per app and instance at most FAILURES_PER_SECOND are recorded,
 * and the next one recorded says how many like it were left out.
 */
import { queueEvent } from "@/lib/events";
import type { OwnerReason } from "@/lib/oauth/errors";

export const FAILURES_PER_SECOND = 5;
/** Apps whose counters are kept at once; beyond that the oldest are forgotten. */
const APPS_KEPT = 10_000;

type Window = { second: number; recorded: number; skipped: number };
const windows = new Map<string, Window>();

export type FailedCall = { clientId: string; endpoint: string; error: string; ip?: string };

/**
 * Records the failure unless this app has had FAILURES_PER_SECOND recorded
 * this second; returns whether it was. The reason is worked out only then.
 */
export async function recordFailedCall(failure: FailedCall, reason: OwnerReason, now = Date.now()): Promise<boolean> {
  const second = Math.floor(now / 1000);
  let window = windows.get(failure.clientId);
  if (!window) {
    if (windows.size >= APPS_KEPT) windows.delete(windows.keys().next().value!);
    window = { second, recorded: 0, skipped: 0 };
    windows.set(failure.clientId, window);
  }
  if (window.second !== second) {
    window.second = second;
    window.recorded = 0;
  }
  if (window.recorded >= FAILURES_PER_SECOND) {
    window.skipped += 1;
    return false;
  }
  window.recorded += 1;
  const skipped = window.skipped;
  window.skipped = 0;
  queueEvent({
    type: "request.failed",
    clientId: failure.clientId,
    ip: failure.ip,
    details: {
      endpoint: failure.endpoint,
      error: failure.error,
      reason: typeof reason === "string" ? reason : await reason(),
      ...(skipped > 0 ? { similarBefore: skipped } : {}),
    },
  });
  return true;
}
