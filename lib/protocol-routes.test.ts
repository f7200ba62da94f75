import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENDPOINT_PATHS } from "@/lib/oauth/endpoint-paths";
import { addProtocolRoutes } from "@/lib/protocol-routes";

describe("one route list", () => {
  it("has a route file for every endpoint path that discovery and the screens name", () => {
    for (const endpointPath of Object.values(ENDPOINT_PATHS)) expect(existsSync(`app${endpointPath}/route.ts`), endpointPath).toBe(true);
  });

  it("serves the machine endpoints on the fast path from Next's own route files, and nothing a person's browser needs Next for", async () => {
    const served = await addProtocolRoutes();
    for (const endpointPath of [
      "/oauth/token",
      "/oauth/revoke",
      "/oauth/introspect",
      "/oauth/userinfo",
      "/oauth/par",
      "/oauth/device_authorization",
      "/oauth/register",
      "/api/v1/me",
      "/metrics",
    ]) {
      expect(served).toContain(endpointPath);
    }
    // The authorization endpoint reads the session cookie through Next; dynamic segments stay with Next's router.
    expect(served).not.toContain("/oauth/authorize");
    expect(served.some((route) => route.includes("["))).toBe(false);
  }, 60_000);
});
