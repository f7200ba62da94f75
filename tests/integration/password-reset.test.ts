import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { newUser } from "../support/fixtures";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { allMailTo, linkIn, mailTo } from "../support/mailbox";
import { newClient } from "../support/fixtures";
import { obtainCode, postForm, redeem, signedInPerson, userinfo, type TokenSet } from "../support/oauth";
import { expectOAuthError } from "../support/expect-oauth";

async function askForReset(email: string, browser = new HttpSession({ ...freshAddress(), accept: "application/json" })) {
  const csrf_token = await browser.csrfTokenFrom("/forgot-password");
  return browser.post("/auth/forgot-password", { csrf_token, email });
}

async function resetWith(link: string, password: string) {
  const url = new URL(link);
  const browser = new HttpSession(freshAddress());
  // The form of any page: a used or expired link's page shows none.
  const csrf_token = await browser.csrfTokenFrom("/forgot-password");
  return browser.post(
    "/auth/reset-password",
    { csrf_token, token: url.searchParams.get("token") ?? "", password },
    { accept: "application/json" },
  );
}

describe("forgot password", () => {
  it("answers the same whether or not the email has an account, and mails only an account's owner", async () => {
    const person = await newUser();
    const unknown = `nobody-${randomUUID()}@example.com`;
    const known = await askForReset(person.email);
    const missing = await askForReset(unknown);
    expect(known.status).toBe(200);
    expect(await known.json()).toEqual(await missing.json());
    const mail = await mailTo(person.email, /Reset your/);
    expect(mail.text).toContain("30 minutes");
    expect(new URL(linkIn(mail, baseUrl())).pathname).toBe("/reset-password");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(allMailTo(unknown)).toEqual([]);
  });

  it("sets the new password, ends every session, confirms the email, and works once", async () => {
    const person = await newUser();
    const signedIn = new HttpSession(freshAddress());
    await signedIn.signIn(person.email, person.password);
    expect((await signedIn.get("/account/sessions")).status).toBe(200);

    await askForReset(person.email);
    const link = linkIn(await mailTo(person.email, /Reset your/), baseUrl());
    const reset = await resetWith(link, "a brand new password");
    expect(reset.status).toBe(200);
    expect(await reset.json()).toEqual({ redirectTo: "/sign-in?notice=password_reset" });

    // The session from before is over, everywhere its cookie was.
    expect((await signedIn.get("/account/sessions")).status).toBe(307);
    expect((await new HttpSession(freshAddress()).signIn(person.email, person.password)).headers.get("location")).toContain(
      "error=invalid_credentials",
    );
    expect((await new HttpSession(freshAddress()).signIn(person.email, "a brand new password")).status).toBe(303);
    expect((await db().user.findUniqueOrThrow({ where: { id: person.user.id } })).emailVerifiedAt).not.toBeNull();
    await mailTo(person.email, /password was changed/);

    const reused = await resetWith(link, "yet another password");
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: "invalid_link" });
  });

  it("ends the refresh and access tokens apps hold for the person, not only the sessions", async () => {
    const { browser, email } = await signedInPerson();
    const person = { email };
    const app = await newClient({ isFirstParty: true });
    const { code, verifier } = await obtainCode(browser, app, { scope: "openid offline_access" });
    const tokens = (await (await redeem(app, code, verifier)).json()) as TokenSet;
    expect(tokens.refresh_token).toBeTruthy();

    await askForReset(person.email);
    expect((await resetWith(linkIn(await mailTo(person.email, /Reset your/), baseUrl()), "a brand new password")).status).toBe(200);
    // The attacker who stole the tokens before the reset holds nothing that works.
    await expectOAuthError(
      await postForm("/oauth/token", { grant_type: "refresh_token", client_id: app.clientId, refresh_token: tokens.refresh_token! }),
      400,
      "invalid_grant",
    );
    await expect.poll(async () => (await userinfo(tokens.access_token)).status, { timeout: 5000 }).toBe(401);
  });

  it("refuses junk links before hashing anything, and at most ten uses from one address in 15 minutes", async () => {
    const address = freshAddress();
    const post = async (token: string) => {
      const browser = new HttpSession({ ...address, accept: "application/json" });
      const csrf_token = await browser.csrfTokenFrom("/forgot-password");
      return browser.post("/auth/reset-password", { csrf_token, token, password: "a brand new password" });
    };
    for (let index = 0; index < 10; index += 1) expect(await (await post(`junk-${index}`)).json()).toMatchObject({ error: "invalid_link" });
    const throttled = await post("junk-more");
    expect(throttled.status).toBe(429);
  });

  it("refuses an expired link, and an older link once a newer one is sent", async () => {
    const person = await newUser();
    await askForReset(person.email);
    const first = linkIn(await mailTo(person.email, /Reset your/), baseUrl());
    await askForReset(person.email);
    const second = linkIn(await mailTo(person.email, /Reset your/, { count: 2 }), baseUrl());
    expect(second).not.toBe(first);
    expect((await resetWith(first, "never set password")).status).toBe(400);

    await db().emailToken.updateMany({ where: { userId: person.user.id, usedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const page = await (await new HttpSession(freshAddress()).get(new URL(second).pathname + new URL(second).search)).text();
    expect(page).toContain("This link has expired");
    expect((await resetWith(second, "never set password")).status).toBe(400);
    expect((await new HttpSession(freshAddress()).signIn(person.email, person.password)).status).toBe(303);
  });

  it("clears the sign-in throttle of the account", async () => {
    const person = await newUser();
    const attacker = new HttpSession({ ...freshAddress(), accept: "application/json" });
    for (let i = 0; i < 5; i++) await attacker.signIn(person.email, "wrong password");
    const owner = new HttpSession({ ...freshAddress(), accept: "application/json" });
    expect((await owner.signIn(person.email, person.password)).status).toBe(429);
    await askForReset(person.email);
    await resetWith(linkIn(await mailTo(person.email, /Reset your/), baseUrl()), "fresh start password");
    expect((await owner.signIn(person.email, "fresh start password")).status).toBe(200);
  });

  it("sends at most three reset mails an hour for one email", async () => {
    const person = await newUser();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await askForReset(person.email)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
