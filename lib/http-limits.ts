/**
 * Limits the portal's Node server puts on every request before any handler
 * sees it: the size of a body, and what to answer when a body is too large.
 * Protocol endpoints read their bodies themselves (lib/protocol-routes.ts) and
 * stop at the limit; everything else (pages, form posts, server actions) goes
 * to Next, which reads the body itself, so for those the size must be known
 * up front: a body without Content-Length gets 411.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const MAX_BODY_BYTES = 64 * 1024;

/** After refusing a body, at most this much more of it is read (and dropped) before the connection is cut. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;

export function hasBody(request: IncomingMessage): boolean {
  return request.headers["content-length"] !== undefined
    ? request.headers["content-length"] !== "0"
    : request.headers["transfer-encoding"] !== undefined;
}

export function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers["content-length"];
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

export type BodyRefusal = { status: 411 | 413; json: boolean };

/**
 * Answers a refused body at once, and closes the connection once the client
 * has finished sending. Closing earlier, with part of the body unread, makes
 * the kernel reset the connection, and the client loses the answer. The rest
 * is read and dropped, up to DRAIN_LIMIT_BYTES; past that the connection is
 * cut. (No `Connection: close` header: Node would then close as soon as the
 * answer is written, before the body is read.)
 */
export function refuseBody(request: IncomingMessage, response: ServerResponse, refusal: BodyRefusal): void {
  const message =
    refusal.status === 413 ? `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB` : "Send the request body with a Content-Length";
  const body = refusal.json ? JSON.stringify({ error: "invalid_request", error_description: message }) : `${message}.\n`;
  const socket = request.socket;
  let drained = 0;
  request.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT_BYTES) socket.destroy();
  });
  request.resume();
  response.once("finish", () => {
    if (request.readableEnded) socket.end();
    else request.once("end", () => socket.end());
  });
  response
    .writeHead(refusal.status, {
      "Content-Type": refusal.json ? "application/json" : "text/plain; charset=utf-8",
      "Content-Length": Buffer.byteLength(body),
      "Cache-Control": "no-store",
    })
    .end(body);
}

/** Why a request bound for Next must be refused before Next reads it, or null. */
export function bodyRefusalForPages(request: IncomingMessage): BodyRefusal | null {
  if (!hasBody(request)) return null;
  const length = declaredLength(request);
  if (length === undefined) return { status: 411, json: false };
  return length > MAX_BODY_BYTES ? { status: 413, json: false } : null;
}
