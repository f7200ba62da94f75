import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";

async function signUp(browser: HttpSession, form: Record<string, string>) {
  const csrf_token = await browser.csrfTokenFrom("/sign-up");
  return browser.post("/auth/sign-up", { csrf_token, returnTo: "/", ...form });
}

describe("POST /auth/sign-up", () => {
  it("creates the account and signs the person in", async () => {
    const email = `new-${randomUUID()}@example.com`;
    const browser = new HttpSession(freshAddress());
    const response = await signUp(browser, { email, password: "long enough password", name: "Ada" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${baseUrl()}/`);
    const home = await (await browser.get("/")).text();
    expect(home).toContain("Welcome, Ada");
    expect(home).toContain(email);
  });

  it("refuses a taken email with 409 and a short password with 400, naming the field", async () => {
    const email = `taken-${randomUUID()}@example.com`;
    await signUp(new HttpSession(freshAddress()), { email, password: "long enough password" });
    const browser = new HttpSession({ ...freshAddress(), accept: "application/json" });
    const taken = await signUp(browser, { email, password: "another long password" });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ error: "email_taken", fieldErrors: { email: expect.any(String) } });
    const short = await signUp(browser, { email: `x-${randomUUID()}@example.com`, password: "short" });
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ error: "invalid_input", fieldErrors: { password: "Use at least 8 characters" } });
  });
});

describe("sign-up under load", () => {
  it("throttles one address after ten sign-ups an hour", async () => {
    const address = { "x-forwarded-for": `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const browser = new HttpSession({ ...address, accept: "application/json" });
      statuses.push((await signUp(browser, { email: `burst-${randomUUID()}@example.com`, password: "long enough password" })).status);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
    expect(statuses[10]).toBe(429);
  });

  it("answers 503 with Retry-After rather than queueing password hashes without end", async () => {
    const octet = Math.floor(Math.random() * 250);
    const browsers = await Promise.all(
      Array.from({ length: 80 }, async (_, i) => {
        const browser = new HttpSession({ "x-forwarded-for": `198.19.${octet}.${i}`, accept: "application/json" });
        return { browser, csrf_token: await browser.csrfTokenFrom("/sign-up") };
      }),
    );
    const emails = browsers.map(() => `flood-${randomUUID()}@example.com`);
    const responses = await Promise.all(
      browsers.map(({ browser, csrf_token }, i) => browser.post("/auth/sign-up", { csrf_token, returnTo: "/", email: emails[i]!, password: "long enough password" })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    const busy = responses.filter((response) => response.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const response of busy) {
      expect(response.headers.get("retry-after")).toBe("1");
      expect(await response.json()).toMatchObject({ error: "busy", message: "The server is busy. Try again in a moment." });
    }
    // Nothing half-done: exactly the accepted sign-ups created accounts.
    expect(await db().user.count({ where: { email: { in: emails } } })).toBe(statuses.filter((status) => status === 200).length);
  });
});
