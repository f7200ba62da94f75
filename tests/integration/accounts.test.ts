import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { DEMO_CLIENT_ID, DEMO_REDIRECT_URI } from "@/lib/setup/seed";
import { describe, expect, it } from "vitest";
import { deleteAccount } from "@/lib/accounts/profile";
import { db } from "@/lib/db";
import { expectOAuthError } from "../support/expect-oauth";
import { newClient, newUser } from "../support/fixtures";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { mailTo } from "../support/mailbox";
import { postForm, userTokens } from "../support/oauth";
import { startTestServer } from "../support/test-server";

function me(accessToken: string) {
  return fetch(new URL("/api/v1/me", baseUrl()), { headers: { authorization: `Bearer ${accessToken}` } });
}

describe("deleting an account", () => {
  it("revokes every token of the person at once and hands their apps to an admin", async () => {
    const { app, person, tokens } = await userTokens({}, { scope: "openid profile offline_access" });
    expect((await me(tokens.access_token)).status).toBe(200);
    const owned = await newClient({ ownerId: person.user.id });
    const admin = await newUser();
    await db().user.update({ where: { id: admin.user.id }, data: { isAdmin: true, createdAt: new Date(0) } });

    await deleteAccount(person.user, { confirmEmail: person.email.toUpperCase(), apps: "hand_over" }, { ip: "203.0.113.9" });
    // Another instance (the server, here) sees a revocation within a second (README: Several instances).
    await new Promise((resolve) => setTimeout(resolve, 1100));

    expect((await me(tokens.access_token)).status).toBe(401);
    await expectOAuthError(
      await postForm("/oauth/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token!, client_id: app.clientId }),
      400,
      "invalid_grant",
    );
    expect(await db().user.findUnique({ where: { id: person.user.id } })).toBeNull();
    expect((await db().client.findUniqueOrThrow({ where: { id: owned.clientId } })).ownerId).not.toBe(person.user.id);
    expect((await person.browser.get("/account")).status).toBe(307);
  });

  it("deletes the person's apps when asked, and refuses a mistyped email without changing anything", async () => {
    const person = await newUser();
    const owned = await newClient({ ownerId: person.user.id });
    await expect(
      deleteAccount(person.user, { confirmEmail: "someone@else.example", apps: "delete" }, { ip: "203.0.113.9" }),
    ).rejects.toThrow("Type your email exactly");
    expect(await db().user.findUnique({ where: { id: person.user.id } })).not.toBeNull();
    await deleteAccount(person.user, { confirmEmail: person.email, apps: "delete" }, { ip: "203.0.113.9" });
    expect(await db().client.findUnique({ where: { id: owned.clientId } })).toBeNull();
  });
});

describe("mail delivery", () => {
  it("retries a message the SMTP server refuses for now, and delivers it", { timeout: 40_000 }, async () => {
    const email = `refuse-once-${randomUUID()}@example.com`;
    const browser = new HttpSession({ ...freshAddress(), accept: "application/json" });
    const csrf_token = await browser.csrfTokenFrom("/sign-up");
    expect((await browser.post("/auth/sign-up", { csrf_token, returnTo: "/", email, password: "long enough password" })).status).toBe(200);
    let row = null;
    for (let i = 0; i < 50 && !row; i++) {
      row = await db().mailMessage.findFirst({ where: { to: email, attempts: 1 } });
      if (!row) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(row?.lastError).toMatch(/450|busy/i);
    // Retried 10 seconds later, by whichever instance polls first.
    const mail = await mailTo(email, /Confirm your email/, { timeoutMs: 30_000 });
    expect(mail.text).toContain("/sign-up/confirm?token=");
    // Sent mail leaves the database: its body held the one-time link.
    expect(await db().mailMessage.count({ where: { to: email } })).toBe(0);
  });

  it("keeps mail in development's outbox at /dev/mail when no SMTP server is set, and nowhere else serves that page", async () => {
    expect((await fetch(new URL("/dev/mail", baseUrl()))).status).toBe(404);
    const portal = await startTestServer({ env: { SMTP_URL: "" } });
    try {
      const email = `outbox-${randomUUID()}@example.com`;
      const browser = new HttpSession({ ...freshAddress(), accept: "application/json" }, portal.baseUrl);
      const csrf_token = await browser.csrfTokenFrom("/sign-up");
      expect((await browser.post("/auth/sign-up", { csrf_token, returnTo: "/", email, password: "long enough password" })).status).toBe(
        200,
      );
      let page = "";
      for (let i = 0; i < 50 && !page.includes(email); i++) {
        page = await (await fetch(new URL("/dev/mail", portal.baseUrl))).text();
        if (!page.includes(email)) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(page).toContain(email);
      expect(page).toContain("/sign-up/confirm?token=");
      // The links in it are for this machine only: a request from elsewhere (through the trusted proxy) finds nothing.
      expect((await fetch(new URL("/dev/mail", portal.baseUrl), { headers: freshAddress() })).status).toBe(404);
    } finally {
      await portal.stop();
    }
  });
});

describe("settings that close doors", () => {
  it("SIGN_UP=off refuses sign-ups; REQUIRE_VERIFIED_EMAIL keeps an unconfirmed person from authorizing apps", async () => {
    const portal = await startTestServer({ env: { SIGN_UP: "off", REQUIRE_VERIFIED_EMAIL: "on" } });
    try {
      const browser = new HttpSession({ ...freshAddress(), accept: "application/json" }, portal.baseUrl);
      expect(await (await browser.get("/sign-up")).text()).toContain("This portal does not take sign-ups");
      const csrf_token = await browser.csrfTokenFrom("/sign-in");
      const refused = await browser.post("/auth/sign-up", {
        csrf_token,
        returnTo: "/",
        email: `x-${randomUUID()}@example.com`,
        password: "long enough password",
      });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: "sign_up_closed" });

      // The seeded demo admin's email was never confirmed: the demo app's request waits for it.
      const password = /demo@example\.com \/ password: (\S+)/.exec(readFileSync(portal.logFile, "utf8"))![1]!;
      const person = new HttpSession(freshAddress(), portal.baseUrl);
      expect((await person.signIn("demo@example.com", password)).status).toBe(303);
      const authorize = `/oauth/authorize?${new URLSearchParams({ response_type: "code", client_id: DEMO_CLIENT_ID, redirect_uri: DEMO_REDIRECT_URI, scope: "openid", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" })}`;
      const waiting = (await person.get(authorize)).headers.get("location") ?? "";
      expect(waiting).toMatch(/\/account\/verify-email\?returnTo=%2Foauth%2Fauthorize%2Fresume/);
      expect(
        await (await person.get(new URL(waiting, portal.baseUrl).pathname + new URL(waiting, portal.baseUrl).search)).text(),
      ).toContain("Apps can be used only with a confirmed email");
      // Nor can an unconfirmed admin change anything by posting the admin forms straight.
      const forged = await person.post("/admin/users/invite", {
        csrf_token: await person.csrfTokenFrom("/account"),
        email: `invited-${randomUUID()}@example.com`,
      });
      expect(forged.status).toBe(403);
      expect(await forged.text()).toContain("Confirm your email address first");
    } finally {
      await portal.stop();
    }
  });
});
