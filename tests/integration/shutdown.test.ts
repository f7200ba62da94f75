/** SIGTERM: stop accepting, finish what is in flight, flush queued events, exit within 10 s. */
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { freshAddress, HttpSession } from "../support/http-client";
import { newClient, newUser } from "../support/fixtures";
import { basic, postForm } from "../support/oauth";
import { childrenOf } from "../support/processes";
import { currentServerEnv, startTestServer } from "../support/test-server";

describe("graceful shutdown", () => {
  it("finishes in-flight requests, writes queued audit events and exits 0 within 10 s", async () => {
    const server = await startTestServer({ sameAs: currentServerEnv() });
    try {
      const machine = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
      const browsers = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const browser = new HttpSession({ ...freshAddress(), accept: "application/json" }, server.baseUrl);
          return { browser, person: await newUser(), csrf_token: await browser.csrfTokenFrom("/sign-in") };
        }),
      );
      // Client-credentials events are queued and written in batches: these must not be lost.
      const tokens = await Promise.all(
        Array.from({ length: 20 }, () =>
          postForm(`${server.baseUrl}/oauth/token`, { grant_type: "client_credentials" }, basic(machine.clientId, machine.clientSecret!)),
        ),
      );
      expect(tokens.every((response) => response.status === 200)).toBe(true);

      // Sign-ins take tens of milliseconds (argon2id): they are in flight when the signal comes.
      const inFlight = browsers.map(({ browser, person, csrf_token }) =>
        browser.post("/auth/sign-in", { csrf_token, email: person.email, password: person.password, returnTo: "/" }),
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      const signalledAt = Date.now();
      process.kill(server.pid, "SIGTERM");

      const answers = await Promise.allSettled(inFlight);
      expect(answers.map((answer) => (answer.status === "fulfilled" ? answer.value.status : String(answer.reason)))).toEqual(
        Array(8).fill(200),
      );
      expect(await server.exited).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(10_000);
      expect(await db().auditEvent.count({ where: { type: "token.issued", clientId: machine.clientId } })).toBe(20);
      // Gone: nothing listens any more.
      await expect(fetch(`${server.baseUrl}/api/health/live`)).rejects.toThrow();
    } finally {
      await server.stop();
    }
  });
});

describe("WORKERS=2", () => {
  it("serves from two worker processes as one portal, and stops them all on SIGTERM", async () => {
    const server = await startTestServer({ sameAs: { ...currentServerEnv(), WORKERS: "2" } });
    try {
      expect(childrenOf(server.pid)).toHaveLength(2);
      const machine = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
      const auth = basic(machine.clientId, machine.clientSecret!);
      const issued = await Promise.all(
        Array.from({ length: 20 }, () => postForm(`${server.baseUrl}/oauth/token`, { grant_type: "client_credentials" }, auth)),
      );
      expect(issued.every((response) => response.status === 200)).toBe(true);
      const { access_token } = (await issued[0]!.json()) as { access_token: string };
      // Revoked at whichever worker answers, inactive at whichever answers next.
      expect((await postForm(`${server.baseUrl}/oauth/revoke`, { token: access_token }, auth)).status).toBe(200);
      for (let i = 0; i < 4; i++) {
        const answer = (await (await postForm(`${server.baseUrl}/oauth/introspect`, { token: access_token }, auth)).json()) as {
          active: boolean;
        };
        expect(answer.active).toBe(false);
      }
      const signalledAt = Date.now();
      process.kill(server.pid, "SIGTERM");
      expect(await server.exited).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(10_000);
    } finally {
      await server.stop();
    }
  });
});
