/**
 * `npm start`: validate the configuration, build if there is no build, apply
 * migrations, seed the demo into an empty database, and serve.
 * `npm run dev` does the same with Next's development server and no build.
 *
 * The portal runs Next inside its own HTTP server so that the client address
 * header can be trusted (lib/auth/client-ip.ts), and so that the endpoints
 * apps call at volume are served ahead of Next's router (lib/protocol-routes.ts).
 */
import { spawnSync } from "node:child_process";
import cluster from "node:cluster";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { bodyRefusalForPages, refuseBody } from "@/lib/http-limits";
import { logger, REQUEST_ID_HEADER, requestIdFor, routeConsoleToLogger, withRequestId } from "@/lib/log";
import { recordRequest } from "@/lib/metrics";
import { ConfigError, getConfig } from "@/lib/config";
import { closeDb } from "@/lib/db";
import { flushEvents } from "@/lib/events";
import { ensureSigningKeys } from "@/lib/oauth/keys";
import { addProtocolRoutes, serveProtocolRoute } from "@/lib/protocol-routes";
import { startPurgeSchedule } from "@/lib/purge";
import { deliverDueLogouts } from "@/lib/oauth/logout";
import { deliverDueMail } from "@/lib/mail/mailer";
import { pollQueue } from "@/lib/queues";
import { deliverDueWebhooks } from "@/lib/webhooks/webhooks";
import { migrateDatabase } from "@/lib/setup/migrate";
import { seedIfEmpty } from "@/lib/setup/seed";

const dev = process.argv.includes("--dev");
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main() {
  const config = getConfig();
  routeConsoleToLogger();

  if (cluster.isPrimary) {
    if (!dev && !existsSync(".next/BUILD_ID")) {
      console.log("No production build yet: building (this takes a minute or two, once)...");
      const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
        stdio: "inherit",
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      });
      if (build.status !== 0) throw new Error("next build failed");
    }

    await migrateDatabase();
    for (const line of await seedIfEmpty()) console.log(line);
    // The first start creates the signing keys, before anything can ask for the JWKS.
    await ensureSigningKeys();
    await closeDb();
    if (!dev && config.workers > 1) return supervise(config.workers);
  }
  await serve(config);
}

/**
 * WORKERS > 1: one worker process per core, sharing the port (node:cluster),
 * each an instance of the portal under the rules of several instances
 * (README "Several instances"). The primary only starts them, starts a new
 * one if one dies, and passes SIGTERM on.
 */
function supervise(count: number) {
  let stopping = false;
  let exitCode = 0;
  for (let index = 0; index < count; index += 1) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (!stopping) {
      console.error(`worker ${worker.process.pid} ended (${signal ?? code}); starting another`);
      cluster.fork();
      return;
    }
    if (code !== 0) exitCode = 1;
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS + 1000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

async function serve(config: ReturnType<typeof getConfig>) {
  const app = next({ dev, dir: process.cwd(), hostname: config.host, port: config.port });
  await app.prepare();
  // After Next's start: some route files import next/headers, which needs the runtime Next sets up.
  if (!dev) await addProtocolRoutes();
  const handle = app.getRequestHandler();

  const { headersTimeoutSeconds, requestTimeoutSeconds, keepAliveTimeoutSeconds } = config.http;
  let stopping = false;
  const inFlight = new Set<ServerResponse>();
  // Timing each request costs a listener per request: only when something reads it.
  const observeRequests = logger.isLevelEnabled("debug") || config.metricsToken !== undefined;
  const server = createServer(
    {
      // A client that sends a byte a second cannot hold a connection for long:
      // headers and the whole request have deadlines, idle keep-alives close,
      // and the deadlines are checked every second (Node's default is 30 s).
      headersTimeout: headersTimeoutSeconds * 1000,
      requestTimeout: requestTimeoutSeconds * 1000,
      keepAliveTimeout: keepAliveTimeoutSeconds * 1000,
      connectionsCheckingInterval: 1000,
    },
    (request, response) => {
      const requestId = requestIdFor(request.headers[REQUEST_ID_HEADER]);
      response.setHeader("X-Request-Id", requestId);
      withRequestId(requestId, () => serveRequest(request, response, requestId));
    },
  );

  function serveRequest(request: IncomingMessage, response: ServerResponse, requestId: string) {
    // Paths only, never query strings: they carry codes and request handles.
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    if (observeRequests) {
      const started = performance.now();
      response.once("finish", () => {
        const seconds = (performance.now() - started) / 1000;
        // Named here: "finish" fires outside the request's async context.
        logger.debug({ requestId, method: request.method, path, status: response.statusCode, ms: Math.round(seconds * 1000) }, "request");
        if (config.metricsToken) recordRequest({ path, method: request.method ?? "GET", status: response.statusCode, seconds });
      });
    }
    // While stopping, every answer tells the client not to reuse the connection.
    if (stopping) response.shouldKeepAlive = false;
    inFlight.add(response);
    response.once("close", () => inFlight.delete(response));
    // Replace anything a client sent: only the socket address is known to be true.
    request.headers[CLIENT_IP_HEADER] = request.socket.remoteAddress ?? "unknown";
    const served = dev ? Promise.resolve(false) : serveProtocolRoute(request, response, config.issuer);
    served
      .then((done) => {
        if (done) return;
        const refusal = bodyRefusalForPages(request);
        if (refusal) refuseBody(request, response, refusal);
        else return handle(request, response);
      })
      .catch((error: unknown) => {
        console.error(`${request.method} ${path} failed:`, error);
        if (!response.headersSent) response.writeHead(500, { "Content-Type": "application/json" }).end('{"error":"server_error"}');
      });
  }

  const stopPurging = startPurgeSchedule();
  const stopLogoutDeliveries = pollQueue("back-channel logout delivery", deliverDueLogouts);
  const stopMailDeliveries = pollQueue("mail delivery", deliverDueMail);
  const stopWebhookDeliveries = pollQueue("webhook delivery", deliverDueWebhooks);
  server.listen(config.port, config.host, () => {
    console.log(`${config.brand.name} is ready at ${config.issuer} (listening on ${config.host}:${config.port})`);
  });

  // Graceful shutdown: stop accepting, let in-flight requests finish, flush
  // queued audit events, close the database pool, and be gone within 10 s.
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing in-flight requests, then stopping`);
    stopPurging();
    stopLogoutDeliveries();
    stopMailDeliveries();
    stopWebhookDeliveries();
    setTimeout(() => {
      console.error("shutdown took longer than 10 s; exiting anyway");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    server.close(() => {
      void flushEvents()
        .then(closeDb)
        .then(
          () => process.exit(0),
          (error: unknown) => {
            console.error("shutdown:", error);
            process.exit(1);
          },
        );
    });
    for (const response of inFlight) if (!response.headersSent) response.shouldKeepAlive = false;
    // Keep-alive connections with no request in flight would hold close() open.
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
