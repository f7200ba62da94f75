import { describe, expect, it } from "vitest";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
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

  it("throttles an account after five failures and says when to try again", async () => {
    const { email, password } = await newUser();
    for (let i = 0; i < 5; i++) await new HttpSession(freshAddress()).signIn(email, "wrong");
    const browser = new HttpSession({ ...freshAddress(), accept: "application/json" });
    const response = await browser.signIn(email, password);
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    const body = (await response.json()) as { message: string };
    expect(body.message).toBe(`Too many attempts. Try again in ${retryAfter} seconds.`);
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
