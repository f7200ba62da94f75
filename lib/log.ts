/**
 * Structured logs: one JSON object per line on stdout (pino), each carrying
 * the id of the request it belongs to, which the response also carries in
 * `X-Request-Id`. The portal's server sends console.* here too, so Next's own
 * messages come out the same way. Only paths are logged, never query strings
 * or bodies (they carry codes, handles, tokens and passwords).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { format } from "node:util";
import pino from "pino";
import { logLevel } from "@/lib/config";

export const REQUEST_ID_HEADER = "x-request-id";

const requestContext = new AsyncLocalStorage<{ requestId: string }>();

export const logger = pino({
  level: logLevel(),
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
  mixin: () => {
    const context = requestContext.getStore();
    return context ? { requestId: context.requestId } : {};
  },
});

/** A proxy's request id is kept when it looks like one; otherwise a new one is made. */
export function requestIdFor(header: string | string[] | undefined): string {
  return typeof header === "string" && /^[A-Za-z0-9._:-]{8,128}$/.test(header) ? header : randomUUID();
}

/** Runs `work` so that every line it logs, however deep, carries the request id. */
export function withRequestId<T>(requestId: string, work: () => T): T {
  return requestContext.run({ requestId }, work);
}

/** console.* as log lines (Next, and the portal's own messages). */
export function routeConsoleToLogger(): void {
  const at =
    (level: "debug" | "info" | "warn" | "error") =>
    (...args: unknown[]) =>
      logger[level](format(...args));
  console.debug = at("debug");
  console.log = at("info");
  console.info = at("info");
  console.warn = at("warn");
  console.error = at("error");
}
