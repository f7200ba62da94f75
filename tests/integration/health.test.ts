import { describe, expect, it } from "vitest";
import { HttpSession } from "../support/http-client";

describe("GET /api/health", () => {
  it("answers 200 with the database reachable, uncached", async () => {
    const response = await new HttpSession().get("/api/health");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });
});
