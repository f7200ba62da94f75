/** GET /api/health: 200 when the database answers, 503 when it does not. */
import type { Database } from "@/lib/db";

export function createHealthHandler(database: () => Pick<Database, "$queryRawUnsafe">) {
  return async function health(): Promise<Response> {
    const headers = { "Cache-Control": "no-store" };
    try {
      await database().$queryRawUnsafe("SELECT 1");
      return Response.json({ status: "ok", database: "ok" }, { headers });
    } catch (error) {
      console.error("health check: database unreachable", error);
      return Response.json({ status: "unavailable", database: "unreachable" }, { status: 503, headers });
    }
  };
}
