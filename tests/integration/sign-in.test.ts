import { describe, expect, it } from "vitest";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { db } from "@/lib/db";
import { newUser } from "../support/fixtures";

const sessionCookie = "portal_session";

describe("sign-in page", () => {
  it("cannot be framed, leaks no referrer, and sets the CSRF cookie", async () => {
    const browser = new HttpSession();
    const response = await browser.get("/sign-in");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(browser.cookies.has("portal_csrf")).toBe(true);
    expect(await response.text()).toContain("Sign in to Identity Portal");
  });

  it("gets its CSRF cookie from a page load, not from the router's fetch, which would outdate the form just rendered", async () => {
    const browser = new HttpSession();
    // What the browser sends for a link's prefetch (Next.js's own headers never reach the proxy).
    const prefetch = await browser.get("/sign-in", { "sec-fetch-dest": "empty", "sec-fetch-mode": "cors" });
    expect(prefetch.status).toBe(200);
    expect(browser.cookies.has("portal_csrf")).toBe(false);
    expect((await browser.get("/sign-in", { "sec-fetch-dest": "document", "sec-fetch-mode": "navigate" })).status).toBe(200);
    expect(browser.cookies.has("portal_csrf")).toBe(true);
  });
});

describe("POST /auth/sign-in", () => {
  it("signs in with a 303 to returnTo and a new session cookie replacing any old one", async () => {
    const { email, password } = await newUser();
    const browser = new HttpSession(freshAddress());
    browser.cookies.set(sessionCookie, "attacker-chosen-value");
    const response = await browser.signIn(email, password, { returnTo: "/account?tab=1" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${baseUrl()}/account?tab=1`);
    expect(browser.cookies.get(sessionCookie)).toMatch(/^Fe26\.2\*/);
    expect(await (await browser.get("/")).text()).toContain(email);
  });

  it("treats a forged session cookie as signed out", async () => {
    const browser = new HttpSession();
    browser.cookies.set(sessionCookie, "Fe26.2*1*forged*cookie");
    const response = await browser.get("/");
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("/sign-in");
  });

  it.each(["https://evil.example/", "//evil.example/", "/\\evil.example"])("keeps returnTo %s on the portal", async (returnTo) => {
    const { email, password } = await newUser();
    const response = await new HttpSession(freshAddress()).signIn(email, password, { returnTo });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${baseUrl()}/`);
  });

  it.each(["/.//evil.example", "/..//evil.example", "/%2F%2Fevil.example", " //evil.example"])(
    "keeps returnTo %j on the portal after signing in",
    async (returnTo) => {
      const { email, password } = await newUser();
      const response = await new HttpSession(freshAddress()).signIn(email, password, { returnTo });
      expect(response.headers.get("location")).toBe(`${baseUrl()}/`);
    },
  );

  it("answers a wrong password and an unknown email alike", async () => {
    const { email } = await newUser();
    const wrongPassword = await new HttpSession(freshAddress()).signIn(email, "not the password");
    const unknownEmail = await new HttpSession(freshAddress()).signIn("nobody@example.com", "not the password");
    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe(`${baseUrl()}/sign-in?returnTo=%2F&error=invalid_credentials`);
    }
  });

  it("answers JSON with the error for the enhanced form", async () => {
    const { email } = await newUser();
    const browser = new HttpSession({ ...freshAddress(), accept: "application/json" });
    const response = await browser.signIn(email, "not the password");
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_credentials", message: "The email or password is incorrect." });
  });

  it("refuses a post without the CSRF token, or from another origin", async () => {
    const { email, password } = await newUser();
    const browser = new HttpSession({ ...freshAddress(), accept: "application/json" });
    const token = await browser.csrfTokenFrom("/sign-in");
    const noToken = await browser.post("/auth/sign-in", { email, password });
    expect(noToken.status).toBe(403);
    expect(await noToken.json()).toMatchObject({ error: "csrf" });
    const foreign = await browser.post("/auth/sign-in", { csrf_token: token, email, password }, { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(browser.cookies.has(sessionCookie)).toBe(false);
  });

  it("turns a body that is not a form into a clear 403, not a 500", async () => {
    const response = await new HttpSession().request("/auth/sign-in", {
      method: "POST",
      body: "{not json",
      headers: { "content-type": "application/json", accept: "application/json" },
    });
    expect(response.status).toBe(403);
  });

  it("locks one address out of one account after five failures, saying the wait in words", async () => {
    const { email, password } = await newUser();
    const attacker = new HttpSession({ ...freshAddress(), accept: "application/json" });
    for (let i = 0; i < 5; i++) expect((await attacker.signIn(email, "wrong")).status).toBe(401);
    const response = await attacker.signIn(email, password);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(14 * 60);
    expect(((await response.json()) as { message: string }).message).toBe("Too many attempts. Try again in 15 minutes.");
  });

  it("does not let strangers keep a person out of their account", async () => {
    const { email, password } = await newUser();
    const owner = new HttpSession({ ...freshAddress(), accept: "application/json" });
    expect((await owner.signIn(email, password)).status).toBe(200);
    expect(owner.cookies.has("portal_known")).toBe(true);
    owner.cookies.delete("portal_session");
    // Strangers everywhere guess the password, more than the limit.
    for (let i = 0; i < 8; i++) await new HttpSession(freshAddress()).signIn(email, "wrong");
    // A browser nobody signed in on is slowed to one attempt per 30 seconds, not locked for the window...
    const newBrowser = await new HttpSession({ ...freshAddress(), accept: "application/json" }).signIn(email, password);
    expect(newBrowser.status).toBe(429);
    const wait = Number(newBrowser.headers.get("retry-after"));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(30);
    expect(((await newBrowser.json()) as { message: string }).message).toMatch(/^Too many attempts\. Try again in \d+ seconds?\.$/);
    // ...and the owner's own browser signs in at once.
    expect((await owner.signIn(email, password)).status).toBe(200);
  });

  it("counts the address the trusted proxy saw, not what the client wrote in X-Forwarded-For", async () => {
    const proxySaw = freshAddress()["x-forwarded-for"];
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const forged = `203.0.113.${i}, ${proxySaw}`;
      const browser = new HttpSession({ "x-forwarded-for": forged, accept: "application/json" });
      statuses.push((await browser.signIn(`guess-${i}-${Date.now()}@example.com`, "wrong")).status);
    }
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    const event = await db().auditEvent.findFirst({ where: { type: "user.sign_in_throttled", ip: proxySaw } });
    expect(event).not.toBeNull();
  });

  it("holds the per-account limit under parallel attempts", async () => {
    const { email } = await newUser();
    const attempts = await Promise.all(
      Array.from({ length: 12 }, () => new HttpSession({ ...freshAddress(), accept: "application/json" }).signIn(email, "wrong")),
    );
    const statuses = attempts.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(7);
  });

  it("throttles one address trying many accounts", async () => {
    const address = { "x-forwarded-for": "203.0.113.77" };
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      statuses.push((await new HttpSession({ ...address, accept: "application/json" }).signIn(`guess-${i}@example.com`, "wrong")).status);
    }
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe("a signed-in person opening the sign-in or sign-up page", () => {
  const tricky = [
    "/.//evil.example",
    "/..//evil.example",
    "//evil.example",
    "/\\evil.example",
    "/%2F%2Fevil.example",
    "https://evil.example",
    "/\t/evil.example",
  ];

  it.each(["/sign-in", "/sign-up"])("is sent on within the portal by %s, whatever returnTo says", async (page) => {
    const { email, password } = await newUser();
    const browser = new HttpSession(freshAddress());
    await browser.signIn(email, password);
    for (const returnTo of tricky) {
      const response = await browser.get(`${page}?returnTo=${encodeURIComponent(returnTo)}`);
      expect(response.status, returnTo).toBe(307);
      const location = response.headers.get("location") ?? "";
      expect(location, returnTo).toBe("/");
    }
    expect((await browser.get(`${page}?returnTo=${encodeURIComponent("/account/connections")}`)).headers.get("location")).toBe(
      "/account/connections",
    );
  });
});

describe("POST /auth/sign-out", () => {
  it("ends the session", async () => {
    const { email, password } = await newUser();
    const browser = new HttpSession(freshAddress());
    await browser.signIn(email, password);
    const token = await browser.csrfTokenFrom("/");
    const response = await browser.post("/auth/sign-out", { csrf_token: token });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${baseUrl()}/sign-in`);
    expect(browser.cookies.has(sessionCookie)).toBe(false);
    expect((await browser.get("/")).headers.get("location")).toBe("/sign-in");
  });
});
