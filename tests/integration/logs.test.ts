/** Structured logs: JSON lines, a request id on each line and in the response, no secrets. */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { baseUrl } from "../support/http-client";
import { basic, postForm, userTokens } from "../support/oauth";

type Line = { level: string; time: string; msg: string; requestId?: string; path?: string; status?: number };

function logLines(): Line[] {
  const file = process.env.PORTAL_TEST_LOG_FILE;
  if (!file) throw new Error("PORTAL_TEST_LOG_FILE is not set (run through npm test or the integration global setup)");
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Line);
}

describe("the server's log", () => {
  it("is one JSON object per line, each with a level, a time and a message", () => {
    const lines = logLines();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(typeof line.level).toBe("string");
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
      expect(typeof line.msg).toBe("string");
    }
  });

  it("gives every request an id, in the response and on its lines, keeping a proxy's", async () => {
    const given = `proxy-${randomUUID()}`;
    const kept = await fetch(`${baseUrl()}/api/health`, { headers: { "x-request-id": given } });
    expect(kept.headers.get("x-request-id")).toBe(given);
    const made = await fetch(`${baseUrl()}/.well-known/jwks.json`, { headers: { "x-request-id": "bad id with spaces" } });
    const madeId = made.headers.get("x-request-id")!;
    expect(madeId).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => logLines().find((line) => line.requestId === given)).toMatchObject({ path: "/api/health", status: 200 });
    await expect
      .poll(() => logLines().find((line) => line.requestId === madeId))
      .toMatchObject({ path: "/.well-known/jwks.json", status: 200 });
  });

  it("never holds a password, client secret, code or token", async () => {
    const { app, person, tokens } = await userTokens({ isConfidential: true }, { scope: "openid profile" });
    const auth = basic(app.clientId, app.clientSecret!);
    const refreshed = await (
      await postForm("/oauth/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token! }, auth)
    ).json();
    await postForm("/oauth/introspect", { token: tokens.access_token }, auth);
    await postForm("/oauth/revoke", { token: tokens.refresh_token! }, auth);
    // A failing request too: a wrong secret and an unknown code.
    await postForm(
      "/oauth/token",
      { grant_type: "authorization_code", code: "a-code-that-does-not-exist-12345" },
      basic(app.clientId, "wrong-secret-67890"),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = readFileSync(process.env.PORTAL_TEST_LOG_FILE!, "utf8");
    const secrets = [
      person.password,
      app.clientSecret!,
      tokens.access_token,
      tokens.refresh_token!,
      tokens.id_token!,
      (refreshed as { refresh_token: string }).refresh_token,
      "a-code-that-does-not-exist-12345",
      "wrong-secret-67890",
    ];
    for (const secret of secrets) expect(log.includes(secret), `the log holds ${secret.slice(0, 12)}…`).toBe(false);
  });
});
