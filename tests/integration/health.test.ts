import { describe, expect, it } from "vitest";
import { HttpSession } from "../support/http-client";

describe("health checks", () => {
  it("GET /api/health answers 200 with the database reachable, uncached", async () => {
    const response = await new HttpSession().get("/api/health");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("GET /api/health/live and /api/health/ready answer 200 on a migrated, reachable database", async () => {
    const live = await new HttpSession().get("/api/health/live");
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok" });
    const ready = await new HttpSession().get("/api/health/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ok", database: "ok", migrations: "applied" });
  });
});
