/**
 * Prometheus metrics (prom-client) at GET /metrics, served only when
 * METRICS_TOKEN is set and then only to `Authorization: Bearer <METRICS_TOKEN>`.
 * One registry per process, kept on globalThis (Next may bundle this module
 * more than once; every copy must count into the same metrics).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { getConfig } from "@/lib/config";
import { constantTimeEqual } from "@/lib/crypto";
import { routeHandler, type Answer, type ProtocolRequest } from "@/lib/protocol-http";

type PoolStats = () => { total: number; idle: number; waiting: number } | null;

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "portal_process_" });
  const poolStats: { read: PoolStats } = { read: () => null };
  return {
    registry,
    poolStats,
    requests: new Counter({
      name: "portal_http_requests_total",
      help: "HTTP requests answered, by route, method and status",
      labelNames: ["route", "method", "status"],
      registers: [registry],
    }),
    latency: new Histogram({
      name: "portal_http_request_duration_seconds",
      help: "Time to answer, by route and method",
      labelNames: ["route", "method"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    tokensIssued: new Counter({
      name: "portal_tokens_issued_total",
      help: "Token responses, by grant type",
      labelNames: ["grant_type"],
      registers: [registry],
    }),
    oauthErrors: new Counter({
      name: "portal_oauth_errors_total",
      help: "OAuth error answers, by endpoint and error code",
      labelNames: ["endpoint", "error"],
      registers: [registry],
    }),
    signIns: new Counter({
      name: "portal_sign_ins_total",
      help: "Sign-in attempts, by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    pool: new Gauge({
      name: "portal_db_pool_connections",
      help: "PostgreSQL pool connections, by state (total, idle, waiting for a connection)",
      labelNames: ["state"],
      registers: [registry],
      collect() {
        const stats = poolStats.read();
        if (!stats) return;
        this.set({ state: "total" }, stats.total);
        this.set({ state: "idle" }, stats.idle);
        this.set({ state: "waiting" }, stats.waiting);
      },
    }),
  };
}

const holder = globalThis as unknown as { portalMetrics?: ReturnType<typeof createMetrics> };

export function metrics() {
  holder.portalMetrics ??= createMetrics();
  return holder.portalMetrics;
}

/** The route a path counts under: a fixed set, so labels stay few. */
export function routeLabel(path: string): string {
  if (/^\/(oauth|\.well-known)\/[a-z_.-]+$/.test(path) || /^\/api\/health(\/(live|ready))?$/.test(path) || path === "/metrics") return path;
  if (path.startsWith("/api/v1/")) return "/api/v1/*";
  if (path.startsWith("/auth/")) return "/auth/*";
  if (path.startsWith("/_next/")) return "static";
  return "page";
}

export function recordRequest(input: { path: string; method: string; status: number; seconds: number }): void {
  const { requests, latency } = metrics();
  const route = routeLabel(input.path);
  requests.inc({ route, method: input.method, status: String(input.status) });
  latency.observe({ route, method: input.method }, input.seconds);
}

/** GET /metrics: 404 unless a token is configured; 401 without it as a bearer token. */
export async function answerMetrics(request: ProtocolRequest, token: string | undefined): Promise<Answer> {
  if (!token) return { status: 404, headers: { "Content-Type": "text/plain" }, body: "Not found\n" };
  const presented = request.headers.get("authorization")?.match(/^Bearer (.+)$/)?.[1] ?? "";
  if (!constantTimeEqual(presented, token)) {
    return { status: 401, headers: { "Content-Type": "text/plain", "WWW-Authenticate": 'Bearer realm="metrics"' }, body: "Unauthorized\n" };
  }
  const { registry } = metrics();
  return { status: 200, headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" }, body: await registry.metrics() };
}

export const metricsEndpoint = routeHandler((request) => answerMetrics(request, getConfig().metricsToken));
