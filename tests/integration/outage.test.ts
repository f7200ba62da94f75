/**
 * PostgreSQL stops for a few seconds under load (npm run test:postgres only):
 * protocol endpoints answer 503 with Retry-After, pages show the portal's
 * "try again" page, nothing hangs past the statement timeout, and the portal
 * recovers by itself when the database returns.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { newClient } from "../support/fixtures";
import { basic, postForm, userTokens } from "../support/oauth";
import { postgresControl } from "../support/postgres";

/** What a person sees of the dashboard in Chromium (the error page renders in the browser). */
async function pageInChromium(session: HttpSession): Promise<string> {
  const { chromium } = await import("@playwright/test");
  const systemChromium = "/usr/bin/chromium";
  const browser = await chromium.launch(
    existsSync(systemChromium)
      ? { executablePath: systemChromium, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] }
      : {},
  );
  try {
    const context = await browser.newContext();
    await context.addCookies([...session.cookies].map(([name, value]) => ({ name, value, url: baseUrl() })));
    const page = await context.newPage();
    await page.goto(`${baseUrl()}/dashboard/apps`);
    await page.getByRole("heading", { name: "This page could not load" }).waitFor({ timeout: 5000 });
    return await page.locator("main").innerText();
  } catch (error) {
    return String(error);
  } finally {
    await browser.close();
  }
}

const root = process.env.PORTAL_TEST_POSTGRES_ROOT;
const STATEMENT_TIMEOUT_MS = 5000;

type Sample = { kind: string; phase: "before" | "down" | "after"; status: number; ms: number; body: string; retryAfter: string | null };

describe.skipIf(!root)("a database outage", () => {
  it("answers 503 with Retry-After while PostgreSQL is down, hangs nowhere, and recovers without a restart", {
    timeout: 60_000,
  }, async () => {
    const control = postgresControl(root!, Number(new URL(process.env.PORTAL_TEST_POSTGRES_URL!).port));
    const machine = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    const auth = basic(machine.clientId, machine.clientSecret!);
    const { tokens, person } = await userTokens({}, { scope: "openid profile" });
    const browser = new HttpSession(freshAddress());
    await browser.signIn(person.email, person.password);

    const requests: Record<string, () => Promise<Response>> = {
      token: () => postForm("/oauth/token", { grant_type: "client_credentials" }, auth),
      introspect: () => postForm("/oauth/introspect", { token: tokens.access_token }, auth),
      "api/v1/me": () => fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } }),
      dashboard: () => browser.get("/dashboard/apps"),
    };
    let phase: Sample["phase"] = "before";
    let pageSeenInBrowser = "";
    let running = true;
    const samples: Sample[] = [];
    const worker = async (kind: string) => {
      while (running) {
        const sampledPhase = phase;
        const started = performance.now();
        let response: Response;
        try {
          response = await Promise.race([
            requests[kind]!(),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${kind} did not answer within 10 s`)), 10_000)),
          ]);
        } catch (error) {
          samples.push({ kind, phase: sampledPhase, status: 0, ms: performance.now() - started, body: String(error), retryAfter: null });
          continue;
        }
        samples.push({
          kind,
          phase: sampledPhase,
          status: response.status,
          ms: performance.now() - started,
          body: await response.text(),
          retryAfter: response.headers.get("retry-after"),
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const workers = Object.keys(requests).map(worker);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      control.stop("fast");
      phase = "down";
      const downSince = Date.now();
      pageSeenInBrowser = await pageInChromium(browser);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 3500 - (Date.now() - downSince))));
    } finally {
      control.start();
    }
    phase = "after";
    // Back by itself: ready again without a restart.
    await expect.poll(async () => (await fetch(`${baseUrl()}/api/health/ready`)).status, { timeout: 15_000, interval: 250 }).toBe(200);
    const recoveredAt = samples.length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    running = false;
    await Promise.all(workers);

    // Nothing hung past the statement timeout.
    expect(Math.max(...samples.map((sample) => sample.ms))).toBeLessThan(STATEMENT_TIMEOUT_MS + 1000);
    // The protocol endpoints answered 200 or 503, never 500, and a 503 is JSON with Retry-After.
    for (const sample of samples.filter((sample) => sample.kind !== "dashboard")) {
      expect([200, 503], `${sample.kind} ${sample.phase}: ${sample.body}`).toContain(sample.status);
      if (sample.status === 503) {
        expect(JSON.parse(sample.body)).toMatchObject({ error: "temporarily_unavailable" });
        expect(sample.retryAfter).toBe("5");
      }
    }
    const down = samples.filter((sample) => sample.phase === "down");
    expect(down.some((sample) => sample.kind === "introspect" && sample.status === 503)).toBe(true);
    expect(down.some((sample) => sample.kind === "token" && sample.status === 503)).toBe(true);
    // The page that needs the database fails, and a person sees the portal's own "try again" page.
    expect(down.some((sample) => sample.kind === "dashboard" && sample.status === 500)).toBe(true);
    expect(pageSeenInBrowser).toContain("This page could not load");
    expect(pageSeenInBrowser).toContain("Try again");
    // After recovery, everything answers as before.
    const after = samples.slice(recoveredAt);
    for (const kind of Object.keys(requests)) {
      const last = after.filter((sample) => sample.kind === kind).at(-1);
      expect(last?.status, kind).toBe(200);
    }
  });
});
