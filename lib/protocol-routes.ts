/**
 * The machine-facing endpoints (token, revoke, introspect, userinfo, PAR,
 * device authorization, registration, metrics and the static /api/v1 routes),
 * served by scripts/start.ts straight from its Node HTTP server, ahead of
 * Next's router, with no WHATWG Request or Response in between
 * (lib/protocol-http.ts): skipping the router's and those objects' per-request
 * work is most of their latency budget. The routes are Next's own route.ts
 * files, so there is no second list: every method a route exports as a
 * plain-data handler (`.protocol`, from routeHandler) is served here too, and
 * Next serves the same export under `npm run dev`.
 *
 * State that must be one per process (database client, signing keys,
 * revocation set) lives on globalThis, so these handlers and the copies Next
 * bundles share it.
 */
import { readdir } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { declaredLength, MAX_BODY_BYTES, refuseBody } from "@/lib/http-limits";
import type { ProtocolHandler, ProtocolRequest, RouteHandler } from "@/lib/protocol-http";

type RouteTable = Record<string, Partial<Record<string, ProtocolHandler>>>;

const ROUTES: RouteTable = {};
const STATIC_PARAMS = { params: Promise.resolve({}) };

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Where machines call: the pages' and forms' routes stay with Next. */
export const MACHINE_ROUTE_DIRECTORIES = ["oauth", ".well-known", "api", "metrics"];

/**
 * Adds every static route.ts (no [dynamic] segment) under the machine
 * directories of `appDir` that exports a plain-data handler, and returns the
 * paths added. Routes with dynamic segments stay with Next's router.
 */
export async function addProtocolRoutes(appDir = "app"): Promise<string[]> {
  const added: string[] = [];
  for (const directory of MACHINE_ROUTE_DIRECTORIES) {
    const root = path.join(appDir, directory);
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || entry.name !== "route.ts") continue;
      const relative = path.relative(appDir, entry.parentPath);
      if (relative.includes("[") || relative.includes("(")) continue;
      const module = (await import(pathToFileURL(path.resolve(entry.parentPath, entry.name)).href)) as Record<string, unknown>;
      const routePath = `/${relative.split(path.sep).join("/")}`;
      for (const method of METHODS) {
        const handler = (module[method] as Partial<RouteHandler> | undefined)?.protocol;
        if (typeof handler !== "function") continue;
        (ROUTES[routePath] ??= {})[method] = (request) => handler(request, STATIC_PARAMS);
        if (!added.includes(routePath)) added.push(routePath);
      }
    }
  }
  return added.sort();
}

/** The body, or null as soon as it passes MAX_BODY_BYTES (whether declared or streamed). */
function readBody(request: IncomingMessage): Promise<Buffer | null> {
  if ((declaredLength(request) ?? 0) > MAX_BODY_BYTES) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.off("data", onData).off("end", onEnd).pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    request.on("data", onData).on("end", onEnd).on("error", reject);
  });
}

/**
 * Serves the request when it is for a protocol endpoint and returns true;
 * returns false for everything else (and for methods the endpoint does not
 * answer, so Next gives its usual 405).
 */
export async function serveProtocolRoute(request: IncomingMessage, response: ServerResponse, origin: string): Promise<boolean> {
  const path = (request.url ?? "/").split("?")[0]!.replace(/\/+$/, "") || "/";
  const handler = ROUTES[path]?.[request.method ?? "GET"];
  if (!handler) return false;

  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  const body = hasBody ? await readBody(request) : undefined;
  if (body === null) {
    refuseBody(request, response, { status: 413, json: true });
    return true;
  }
  const answer = await handler(protocolRequest(request, body, origin), undefined);
  response.writeHead(answer.status, answer.headers).end(answer.body);
  return true;
}

const utf8 = new TextDecoder();

/** The one place a Node request becomes a handler's input. */
function protocolRequest(request: IncomingMessage, body: Buffer | undefined, origin: string): ProtocolRequest {
  return {
    method: request.method ?? "GET",
    url: `${origin}${request.url ?? "/"}`,
    headers: {
      get: (name) => {
        const value = request.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
      },
    },
    text: async () => (body ? utf8.decode(body) : ""),
  };
}
