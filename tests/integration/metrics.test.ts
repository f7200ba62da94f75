/** GET /metrics: Prometheus text for the bearer of METRICS_TOKEN, nobody else. */
import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { newClient, newUser } from "../support/fixtures";
import { basic, postForm } from "../support/oauth";

const scrape = (token?: string) => fetch(`${baseUrl()}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("GET /metrics", () => {
  it("refuses anyone without the metrics token", async () => {
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await scrape("not-the-token")).status).toBe(401);
  });

  it("counts requests, tokens by grant type, OAuth errors by code, sign-ins by outcome and the database pool", async () => {
    const machine = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    expect(
      (await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(machine.clientId, machine.clientSecret!))).status,
    ).toBe(200);
    expect((await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(machine.clientId, "wrong"))).status).toBe(401);
    const { email } = await newUser();
    await new HttpSession(freshAddress()).signIn(email, "not the password");

    const response = await scrape(process.env.METRICS_TOKEN);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toMatch(/portal_http_requests_total\{route="\/oauth\/token",method="POST",status="200"\} [1-9]/);
    expect(text).toMatch(/portal_http_request_duration_seconds_bucket\{le="0.005",route="\/oauth\/token",method="POST"\} \d+/);
    expect(text).toMatch(/portal_tokens_issued_total\{grant_type="client_credentials"\} [1-9]/);
    expect(text).toMatch(/portal_oauth_errors_total\{endpoint="\/oauth\/token",error="invalid_client"\} [1-9]/);
    expect(text).toMatch(/portal_sign_ins_total\{outcome="invalid_credentials"\} [1-9]/);
    if (getConfig().database.provider === "postgresql") expect(text).toMatch(/portal_db_pool_connections\{state="total"\} [1-9]/);
  });
});
