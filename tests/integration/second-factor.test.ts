import { decodeJwt } from "jose";
import * as OTPAuth from "otpauth";
import { describe, expect, it } from "vitest";
import { findUserById } from "@/lib/accounts/users";
import { beginTotpEnrolment, confirmTotpEnrolment } from "@/lib/auth/second-factor";
import { db } from "@/lib/db";
import { ACR_MFA, ACR_SINGLE_FACTOR } from "@/lib/oauth/acr";
import { setSecondFactorPolicy } from "@/lib/settings";
import { newClient, newUser } from "../support/fixtures";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { clientCredentials, obtainCode, redeem, userinfo, type TokenSet } from "../support/oauth";
import { authorizationParams, authorizePath } from "../support/http-client";

/** A person with the authenticator app turned on, as the security page does it; returns a code maker. */
async function personWithTotp() {
  const person = await newUser();
  const enrolment = await beginTotpEnrolment(person.user);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.secret), digits: 6, period: 30, algorithm: "SHA1" });
  const recoveryCodes = await confirmTotpEnrolment(person.user, enrolment.sealed, totp.generate());
  // Enrolment used the current step: codes for sign-in come from the next ones (a code works once).
  let offset = 0;
  const nextCode = () => totp.generate({ timestamp: Date.now() + ++offset * 30_000 });
  return { ...person, totp, recoveryCodes, nextCode };
}

async function giveCode(browser: HttpSession, code: string, returnTo = "/") {
  const csrf_token = await browser.csrfTokenFrom(`/sign-in/second-factor?returnTo=${encodeURIComponent(returnTo)}`);
  return browser.post("/auth/second-factor", { csrf_token, code, returnTo }, { accept: "application/json" });
}

async function idTokenOf(browser: HttpSession, extra: Record<string, string> = {}) {
  const app = await newClient({ isFirstParty: true });
  const { code, verifier } = await obtainCode(browser, app, { scope: "openid email", ...extra });
  const credentials = clientCredentials(app);
  const tokens = (await (await redeem(app, code, verifier, credentials.body, credentials.headers)).json()) as TokenSet;
  return { claims: decodeJwt(tokens.id_token!), tokens };
}

describe("signing in with an authenticator app", () => {
  it("asks for the code after the password; the session then says otp and mfa, and the ID token the multi-factor acr", async () => {
    const person = await personWithTotp();
    const browser = new HttpSession(freshAddress());
    const afterPassword = await browser.signIn(person.email, person.password);
    expect(afterPassword.headers.get("location")).toBe(`${baseUrl()}/sign-in/second-factor?returnTo=%2F`);
    // Not signed in yet: the password alone opens nothing.
    expect((await browser.get("/account")).status).toBe(307);

    const wrong = await giveCode(browser, "000000");
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: "wrong_code" });
    expect((await giveCode(browser, person.nextCode())).status).toBe(200);
    expect((await browser.get("/account")).status).toBe(200);

    const { claims } = await idTokenOf(browser);
    expect(claims.amr).toEqual(["pwd", "otp", "mfa"]);
    expect(claims.acr).toBe(ACR_MFA);
  });

  it("accepts a code once, and a recovery code once", async () => {
    const person = await personWithTotp();
    const code = person.nextCode();
    const first = new HttpSession(freshAddress());
    await first.signIn(person.email, person.password);
    expect((await giveCode(first, code)).status).toBe(200);
    const second = new HttpSession(freshAddress());
    await second.signIn(person.email, person.password);
    expect((await giveCode(second, code)).status).toBe(401);

    const recovery = person.recoveryCodes[0]!;
    expect((await giveCode(second, recovery.toUpperCase())).status).toBe(200);
    const third = new HttpSession(freshAddress());
    await third.signIn(person.email, person.password);
    expect((await giveCode(third, recovery)).status).toBe(401);
    expect(await db().auditEvent.count({ where: { userId: person.user.id, type: "user.recovery_code_used" } })).toBe(1);
  });

  it("throttles guesses per person: ten per 15 minutes", async () => {
    const person = await personWithTotp();
    const browser = new HttpSession(freshAddress());
    await browser.signIn(person.email, person.password);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await giveCode(browser, String(100000 + i))).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });

  it("a person without a second factor signs in with the password alone: amr pwd, single-factor acr", async () => {
    const person = await newUser();
    const browser = new HttpSession(freshAddress());
    expect((await browser.signIn(person.email, person.password)).headers.get("location")).toBe(`${baseUrl()}/`);
    const { claims } = await idTokenOf(browser);
    expect(claims.amr).toEqual(["pwd"]);
    expect(claims.acr).toBe(ACR_SINGLE_FACTOR);
  });
});

describe("apps asking for more (acr_values, max_age)", () => {
  it("acr_values asks a signed-in person for the second factor, then issues the code", async () => {
    const person = await personWithTotp();
    const browser = new HttpSession(freshAddress());
    await browser.signIn(person.email, person.password);
    await giveCode(browser, person.nextCode());
    // A session with mfa already satisfies it.
    expect((await idTokenOf(browser, { acr_values: ACR_MFA })).claims.acr).toBe(ACR_MFA);

    // A person with a factor whose session has none yet (signed in before turning it on) is asked for it.
    const other = await newUser();
    const otherBrowser = new HttpSession(freshAddress());
    await otherBrowser.signIn(other.email, other.password);
    const enrolment = await beginTotpEnrolment(other.user);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.secret) });
    await confirmTotpEnrolment((await findUserById(other.user.id))!, enrolment.sealed, totp.generate());
    const app = await newClient({ isFirstParty: true });
    const start = await otherBrowser.get(
      authorizePath(
        authorizationParams(app, { scope: "openid", acr_values: ACR_MFA, code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" }),
      ),
    );
    const location = start.headers.get("location") ?? "";
    expect(location).toMatch(/\/sign-in\/second-factor\?returnTo=%2Foauth%2Fauthorize%2Fresume/);
    const returnTo = new URL(location, baseUrl()).searchParams.get("returnTo")!;
    const given = await giveCode(otherBrowser, totp.generate({ timestamp: Date.now() + 30_000 }), returnTo);
    expect(given.status).toBe(200);
    const resumed = await otherBrowser.get(((await given.json()) as { redirectTo: string }).redirectTo);
    expect(resumed.headers.get("location")).toContain(`${app.redirectUri}?code=`);
  });

  it("acr_values for a person with no second factor sends them to set one up; prompt=none answers interaction_required", async () => {
    const person = await newUser();
    const browser = new HttpSession(freshAddress());
    await browser.signIn(person.email, person.password);
    const app = await newClient({ isFirstParty: true });
    const params = authorizationParams(app, {
      scope: "openid",
      acr_values: ACR_MFA,
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    });
    expect((await browser.get(authorizePath(params))).headers.get("location")).toMatch(/\/account\/security\?required=1&returnTo=/);
    const silent = new URL((await browser.get(authorizePath({ ...params, prompt: "none" }))).headers.get("location")!);
    expect(silent.searchParams.get("error")).toBe("interaction_required");
  });

  it("max_age older than the sign-in asks for the password again", async () => {
    const person = await newUser();
    const browser = new HttpSession(freshAddress());
    await browser.signIn(person.email, person.password);
    await db().session.updateMany({ where: { userId: person.user.id }, data: { authTime: new Date(Date.now() - 120_000) } });
    const app = await newClient({ isFirstParty: true });
    const response = await browser.get(
      authorizePath(
        authorizationParams(app, { scope: "openid", max_age: "60", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" }),
      ),
    );
    expect(response.headers.get("location")).toMatch(/\/sign-in\?returnTo=.*&prompt=login/);
  });
});

describe("the admins' second-factor policy", () => {
  it("sends an admin without a second factor to set one up before the admin pages, when required for admins", async () => {
    const admin = await newUser();
    await db().user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
    const browser = new HttpSession(freshAddress());
    await browser.signIn(admin.email, admin.password);
    expect((await browser.get("/admin")).status).toBe(200);
    const csrf_token = await browser.csrfTokenFrom("/admin");
    const target = await newUser();
    const noChange = async () => (await browser.post("/admin/users/role", { csrf_token, userId: target.user.id, isAdmin: "false" })).status;
    await setSecondFactorPolicy("admins");
    try {
      // The server's cache of the setting lasts at most 10 seconds.
      const deadline = Date.now() + 15_000;
      let response = await browser.get("/admin");
      while (response.status === 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        response = await browser.get("/admin");
      }
      expect(response.headers.get("location")).toBe("/account/security?required=1&returnTo=%2Fadmin");
      expect((await browser.get("/account/security?required=1&returnTo=%2Fadmin")).status).toBe(200);
      // Route handlers keep their own copy of the setting, within the same bound: wait for it with a post that changes nothing.
      await expect.poll(() => noChange(), { timeout: 15_000, interval: 500 }).toBe(403);
      // The attack: the admin's forms posted straight, past the pages that would send them to set one up.
      const forged = await browser.post("/admin/users/role", { csrf_token, userId: target.user.id, isAdmin: "true", confirm: "yes" });
      expect(forged.status).toBe(403);
      expect(await forged.text()).toContain("Set up a second factor first");
      expect((await db().user.findUniqueOrThrow({ where: { id: target.user.id } })).isAdmin).toBe(false);
      // Approving a device waits for the same step.
      const device = await browser.post("/auth/device", { csrf_token, user_code: "BCDF-GHJK", decision: "authorize" });
      expect(device.headers.get("location")).toContain("/account/security?required=1&returnTo=%2Fdevice%3Fuser_code%3DBCDF-GHJK");
      // A person who is not an admin is not asked.
      const person = await newUser();
      const other = new HttpSession(freshAddress());
      await other.signIn(person.email, person.password);
      expect((await other.get("/account")).status).toBe(200);
    } finally {
      await setSecondFactorPolicy("off");
      // Leave no stale policy in the server's cache for the next test file (admin pages for admins without a second factor).
      await expect.poll(async () => (await browser.get("/admin")).status, { timeout: 15_000, interval: 500 }).toBe(200);
      await expect.poll(() => noChange(), { timeout: 15_000, interval: 500 }).toBe(303);
    }
  });
});

/** A person signed in with the password alone, and the request for passkey options their security page sends. */
async function signedInOnSecurityPage() {
  const person = await newUser();
  const browser = new HttpSession(freshAddress());
  await browser.signIn(person.email, person.password);
  const options = async () =>
    browser.request("/auth/passkey/registration-options", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ csrf_token: await browser.csrfTokenFrom("/account/security") }),
    });
  return { person, browser, options };
}

describe("changing second factors", () => {
  it("needs a session that gave one when the person has one: a password alone buys no passkey and no second factor", async () => {
    const { person, options } = await signedInOnSecurityPage();
    // No factor yet: adding the first one is how a person sets one up.
    expect((await options()).status).toBe(200);
    // A factor appears (set up in another browser); this password-only session may not add another.
    const enrolment = await beginTotpEnrolment(person.user);
    await confirmTotpEnrolment(
      person.user,
      enrolment.sealed,
      new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.secret) }).generate(),
    );
    const refused = await options();
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("This needs your second factor");
  });

  it("needs a recent sign-in: a browser left signed in cannot add a passkey until the person signs in again", async () => {
    const { person, browser, options } = await signedInOnSecurityPage();
    await db().session.updateMany({ where: { userId: person.user.id }, data: { authTime: new Date(Date.now() - 10 * 60 * 1000) } });
    const stale = await options();
    expect(stale.status).toBe(403);
    expect(await stale.text()).toContain("Confirm it is you first: sign in again");
    expect(await (await browser.get("/account/security")).text()).toContain("/sign-in?prompt=login&amp;returnTo=%2Faccount%2Fsecurity");
    // Signing in again (prompt=login asks even someone signed in) is the proof.
    expect(
      (
        await browser.post("/auth/sign-in", {
          csrf_token: await browser.csrfTokenFrom("/account/security"),
          email: person.email,
          password: person.password,
          returnTo: "/account/security",
        })
      ).status,
    ).toBe(303);
    expect((await options()).status).toBe(200);
  });
});

describe("email_verified", () => {
  it("is false until the person confirms their email, then true in userinfo and ID tokens", async () => {
    const person = await newUser();
    const browser = new HttpSession(freshAddress());
    await browser.signIn(person.email, person.password);
    const before = await idTokenOf(browser);
    expect(before.claims.email_verified).toBe(false);
    expect(await (await userinfo(before.tokens.access_token)).json()).toMatchObject({ email: person.email, email_verified: false });
    await db().user.update({ where: { id: person.user.id }, data: { emailVerifiedAt: new Date() } });
    const after = await idTokenOf(browser);
    expect(after.claims.email_verified).toBe(true);
    expect(await (await userinfo(after.tokens.access_token)).json()).toMatchObject({ email_verified: true });
  });
});
