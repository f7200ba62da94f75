import { describe, expect, it } from "vitest";
import { answerMetrics, metrics, recordRequest, routeLabel } from "./metrics";

const request = (authorization?: string) => new Request("http://portal.test/metrics", { headers: authorization ? { authorization } : {} });

describe("metrics", () => {
  it("are off without a token, and need it as a bearer token", async () => {
    expect((await answerMetrics(request("Bearer anything"), undefined)).status).toBe(404);
    expect((await answerMetrics(request(), "a-long-metrics-token")).status).toBe(401);
    expect((await answerMetrics(request("Bearer wrong-token-value"), "a-long-metrics-token")).status).toBe(401);
    expect((await answerMetrics(request("Bearer a-long-metrics-token"), "a-long-metrics-token")).status).toBe(200);
  });

  it("count requests by a fixed set of routes", async () => {
    expect(routeLabel("/oauth/token")).toBe("/oauth/token");
    expect(routeLabel("/api/v1/me")).toBe("/api/v1/*");
    expect(routeLabel("/dashboard/apps/abc")).toBe("page");
    expect(routeLabel("/_next/static/chunks/x.js")).toBe("static");
    recordRequest({ path: "/oauth/token", method: "POST", status: 200, seconds: 0.004 });
    metrics().tokensIssued.inc({ grant_type: "client_credentials" });
    const text = await (await answerMetrics(request("Bearer a-long-metrics-token"), "a-long-metrics-token")).body;
    expect(text).toContain('portal_http_requests_total{route="/oauth/token",method="POST",status="200"} 1');
    expect(text).toContain('portal_tokens_issued_total{grant_type="client_credentials"} 1');
    expect(text).toContain("portal_http_request_duration_seconds_bucket");
  });
});
