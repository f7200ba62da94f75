import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
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
