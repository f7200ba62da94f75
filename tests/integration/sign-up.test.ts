import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { newUser } from "../support/fixtures";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { allMailTo, linkIn, mailTo } from "../support/mailbox";

async function signUp(browser: HttpSession, form: Record<string, string>) {
  const csrf_token = await browser.csrfTokenFrom("/sign-up");
  return browser.post("/auth/sign-up", { csrf_token, returnTo: "/", ...form });
}

/** Opens the link's page as a person would, and presses its button. */
async function useLink(browser: HttpSession, link: string, action: string, extra: Record<string, string> = {}) {
  const url = new URL(link);
  const csrf_token = await browser.csrfTokenFrom(url.pathname + url.search);
  return browser.post(action, { csrf_token, token: url.searchParams.get("token") ?? "", ...extra });
}

describe("sign-up, confirmed by mail", () => {
  it("creates the account only when the link from the mail is used, then signs the person in where it was opened", async () => {
    const email = `new-${randomUUID()}@example.com`;
    const browser = new HttpSession(freshAddress());
    const csrf_token = await browser.csrfTokenFrom("/sign-up");
    const response = await browser.post("/auth/sign-up", {
      csrf_token,
      returnTo: "/dashboard/apps",
      email,
      password: "long enough password",
      name: "Ada",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${baseUrl()}/sign-up/check-email`);
    expect(await db().user.findUnique({ where: { email } })).toBeNull();

    const mail = await mailTo(email, /Confirm your email/);
    expect(mail.fromHeader).toContain("Identity Portal");
    expect(mail.html).toContain("Confirm and create my account");
    const link = linkIn(mail, baseUrl());
    expect(new URL(link).pathname).toBe("/sign-up/confirm");

    // Opening the link (as a mail scanner does) changes nothing.
    const page = await (await new HttpSession(freshAddress()).get(new URL(link).pathname + new URL(link).search)).text();
    expect(page).toContain(email);
    expect(await db().user.findUnique({ where: { email } })).toBeNull();

    // Someone who opens the link without the password chosen at sign-up (a stranger asked for it) makes nothing.
    const stranger = new HttpSession({ ...freshAddress(), accept: "application/json" });
    const refused = await useLink(stranger, link, "/auth/sign-up/confirm", { password: "not the password" });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "not_your_sign_up" });
    expect(await db().user.findUnique({ where: { email } })).toBeNull();

    const phone = new HttpSession(freshAddress());
    const confirmed = await useLink(phone, link, "/auth/sign-up/confirm", { password: "long enough password" });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get("location")).toBe(`${baseUrl()}/dashboard/apps`);
    expect(await (await phone.get("/")).text()).toContain("Welcome, Ada");
    const user = await db().user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerifiedAt).not.toBeNull();

    // Used once: the page says so, and a second use creates nothing.
    expect(await (await browser.get(new URL(link).pathname + new URL(link).search)).text()).toContain("This link was already used");
    const other = new HttpSession({ ...freshAddress(), accept: "application/json" });
    const again = await other.post("/auth/sign-up/confirm", {
      csrf_token: await other.csrfTokenFrom("/sign-up"),
      token: new URL(link).searchParams.get("token")!,
      password: "long enough password",
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_link" });
    expect(await db().user.count({ where: { email } })).toBe(1);
  });

  it("answers the same for an email that has an account, tells its owner by mail, and changes nothing", async () => {
    const owner = await newUser();
    const browser = new HttpSession({ ...freshAddress(), accept: "application/json" });
    const taken = await signUp(browser, { email: owner.email, password: "another long password" });
    const fresh = await signUp(browser, { email: `free-${randomUUID()}@example.com`, password: "another long password" });
    expect(taken.status).toBe(200);
    expect(fresh.status).toBe(200);
    expect(await taken.json()).toEqual(await fresh.json());

    const notice = await mailTo(owner.email, /tried to create/);
    expect(notice.text).toContain("No new account was created");
    expect(notice.text).toContain(`${baseUrl()}/forgot-password`);
    expect(notice.text).not.toMatch(/token=/);
    expect(await db().user.count({ where: { email: owner.email } })).toBe(1);
    expect((await new HttpSession(freshAddress()).signIn(owner.email, owner.password)).status).toBe(303);
  });

  it("refuses a short password with 400 naming the field, and an unknown link with a message", async () => {
    const browser = new HttpSession({ ...freshAddress(), accept: "application/json" });
    const short = await signUp(browser, { email: `x-${randomUUID()}@example.com`, password: "short" });
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ error: "invalid_input", fieldErrors: { password: "Use at least 8 characters" } });

    const page = await (await new HttpSession(freshAddress()).get("/sign-up/confirm?token=not-a-real-token")).text();
    expect(page).toContain("This link is not valid");
    const csrf_token = await browser.csrfTokenFrom("/sign-up");
    const unknown = await browser.post("/auth/sign-up/confirm", { csrf_token, token: "not-a-real-token" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: "invalid_link" });
  });

  it("refuses an expired link", async () => {
    const email = `late-${randomUUID()}@example.com`;
    await signUp(new HttpSession(freshAddress()), { email, password: "long enough password" });
    const link = linkIn(await mailTo(email, /Confirm your email/), baseUrl());
    await db().emailToken.updateMany({ where: { email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const page = await (await new HttpSession(freshAddress()).get(new URL(link).pathname + new URL(link).search)).text();
    expect(page).toContain("This link has expired");
    const browser = new HttpSession({ ...freshAddress(), accept: "application/json" });
    const csrf_token = await browser.csrfTokenFrom("/sign-up");
    const used = await browser.post("/auth/sign-up/confirm", {
      csrf_token,
      token: new URL(link).searchParams.get("token")!,
      password: "long enough password",
    });
    expect(used.status).toBe(400);
    expect(await db().user.findUnique({ where: { email } })).toBeNull();
  });

  it("sends at most five confirmation mails an hour to one address", async () => {
    const email = `flooded-${randomUUID()}@example.com`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await signUp(new HttpSession({ ...freshAddress(), accept: "application/json" }), { email, password: "long enough password" }))
          .status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    await mailTo(email, /Confirm/, { count: 5 });
    expect(allMailTo(email)).toHaveLength(5);
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
      browsers.map(({ browser, csrf_token }, i) =>
        browser.post("/auth/sign-up", { csrf_token, returnTo: "/", email: emails[i]!, password: "long enough password" }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    const busy = responses.filter((response) => response.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const response of busy) {
      expect(response.headers.get("retry-after")).toBe("1");
      expect(await response.json()).toMatchObject({ error: "busy", message: "The server is busy. Try again in a moment." });
    }
    // Nothing half-done: exactly the accepted sign-ups have a confirmation link waiting.
    expect(await db().emailToken.count({ where: { email: { in: emails }, purpose: "sign_up" } })).toBe(
      statuses.filter((status) => status === 200).length,
    );
  });
});
