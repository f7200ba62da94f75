/**
 * Health checks for load balancers and orchestrators:
 * - GET /api/health/live: the process answers (restart it if not);
 * - GET /api/health/ready: the database answers and every migration this code
 *   knows is applied (send it traffic only then);
 * - GET /api/health: the database answers (kept from before; same as ready
 *   without the migration check).
 */
import type { Database } from "@/lib/db";

const headers = { "Cache-Control": "no-store" };

type Probe = { database: () => Pick<Database, "$queryRawUnsafe">; pendingMigrations?: () => Promise<string[]> };

async function databaseAnswers(database: Probe["database"]): Promise<boolean> {
  try {
    await database().$queryRawUnsafe("SELECT 1");
    return true;
  } catch (error) {
    console.error("health check: database unreachable", error);
    return false;
  }
}

export function createHealthHandler(database: Probe["database"]) {
  return async function health(): Promise<Response> {
    if (await databaseAnswers(database)) return Response.json({ status: "ok", database: "ok" }, { headers });
    return Response.json({ status: "unavailable", database: "unreachable" }, { status: 503, headers });
  };
}

export function liveness(): Response {
  return Response.json({ status: "ok" }, { headers });
}

export function createReadinessHandler(probe: Required<Probe>) {
  // Migrations only ever get added by new code: once none is pending, none will be for this process.
  let migrationsApplied = false;
  return async function ready(): Promise<Response> {
    const database = await databaseAnswers(probe.database);
    if (database && !migrationsApplied)
      migrationsApplied = await probe.pendingMigrations().then(
        (pending) => pending.length === 0,
        () => false,
      );
    const body = {
      status: database && migrationsApplied ? "ok" : "unavailable",
      database: database ? "ok" : "unreachable",
      migrations: migrationsApplied ? "applied" : "pending",
    };
    return Response.json(body, {
      status: body.status === "ok" ? 200 : 503,
      headers: { ...headers, ...(body.status === "ok" ? {} : { "Retry-After": "5" }) },
    });
  };
}
