/** The device authorization grant (RFC 8628), driven by openid-client. */
import { describe, expect, it } from "vitest";
import * as client from "openid-client";
import { db } from "@/lib/db";
import { hashSecret } from "@/lib/crypto";
import { baseUrl } from "../support/http-client";
import { newClient } from "../support/fixtures";
import { postForm, signedInPerson } from "../support/oauth";
import { expectOAuthError } from "../support/expect-oauth";

const DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";

async function tvApp() {
  return newClient({
    name: "Living Room TV",
    grantTypes: [DEVICE_CODE, "refresh_token"],
    redirectUris: [],
    scopes: ["openid", "profile", "offline_access"],
  });
}

function start(clientId: string, scope = "openid profile") {
  return postForm("/oauth/device_authorization", { client_id: clientId, scope });
}

function poll(clientId: string, deviceCode: string) {
  return postForm("/oauth/token", { grant_type: DEVICE_CODE, client_id: clientId, device_code: deviceCode });
}

type Person = Awaited<ReturnType<typeof signedInPerson>>;

async function answer(person: Person, userCode: string, decision: "authorize" | "deny") {
  const page = `/device?user_code=${encodeURIComponent(userCode)}`;
  const html = await (await person.browser.get(page)).text();
  expect(html).toContain("Living Room TV wants to use your");
  const csrf_token = await person.browser.csrfTokenFrom(page);
  return person.browser.post("/auth/device", { csrf_token, user_code: userCode, decision });
}

describe("device authorization grant", () => {
  it("lets a person connect a TV: openid-client polls until they authorize, then gets tokens once", async () => {
    const app = await tvApp();
    const config = await client.discovery(new URL(baseUrl()), app.clientId, {}, client.None(), { execute: [client.allowInsecureRequests] });
    const started = await client.initiateDeviceAuthorization(config, { scope: "openid profile offline_access" });
    expect(started.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(started.verification_uri).toBe(`${baseUrl()}/device`);
    expect(started.interval).toBe(5);

    await expectOAuthError(await poll(app.clientId, started.device_code), 400, "authorization_pending");
    // Polling again at once is too fast.
    await expectOAuthError(await poll(app.clientId, started.device_code), 400, "slow_down");

    const person = await signedInPerson();
    const answered = await answer(person, started.user_code.toLowerCase().replace("-", " "), "authorize");
    expect(answered.headers.get("location")).toContain("/device/done?result=approved");
    await db().deviceAuthorization.update({ where: { deviceCodeHash: hashSecret(started.device_code) }, data: { lastPolledAt: null } });
    const tokens = await client.pollDeviceAuthorizationGrant(config, { ...started, interval: 0 });
    expect(tokens.claims()?.sub).toBe(person.user.id);
    expect(tokens.refresh_token).toBeTruthy();
    await db().deviceAuthorization.update({ where: { deviceCodeHash: hashSecret(started.device_code) }, data: { lastPolledAt: null } });
    await expectOAuthError(await poll(app.clientId, started.device_code), 400, "invalid_grant");
  });

  it("tells the device when the person denies, when the code expired, and refuses another app's device code", async () => {
    const app = await tvApp();
    const person = await signedInPerson();
    const denied = (await (await start(app.clientId)).json()) as { device_code: string; user_code: string };
    await answer(person, denied.user_code, "deny");
    await expectOAuthError(await poll(app.clientId, denied.device_code), 400, "access_denied");

    const expiring = (await (await start(app.clientId)).json()) as { device_code: string; user_code: string };
    await db().deviceAuthorization.update({
      where: { deviceCodeHash: hashSecret(expiring.device_code) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expectOAuthError(await poll(app.clientId, expiring.device_code), 400, "expired_token");
    expect(await (await person.browser.get(`/device?user_code=${encodeURIComponent(expiring.user_code)}`)).text()).toContain(
      "not waiting for an answer",
    );

    const other = await tvApp();
    const mine = (await (await start(app.clientId)).json()) as { device_code: string };
    await expectOAuthError(await poll(other.clientId, mine.device_code), 400, "invalid_grant");
  });

  it("refuses apps without the grant and scopes they may not request", async () => {
    const webApp = await newClient();
    await expectOAuthError(await start(webApp.clientId), 400, "unauthorized_client");
    const app = await tvApp();
    await expectOAuthError(await start(app.clientId, "openid apps.read"), 400, "invalid_scope");
  });

  it("counts each Authorize posted by hand as a guess, as the page does", async () => {
    const person = await signedInPerson();
    const csrf_token = await person.browser.csrfTokenFrom("/account");
    // Ten guesses by answering alone, without the page that counts typing.
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const answer = await person.browser.post("/auth/device", {
        csrf_token,
        user_code: `ZZZZ-ZZZ${"BCDFGHJKLM"[attempt]}`,
        decision: "authorize",
      });
      expect(answer.headers.get("location")).toContain("/device/done?result=expired");
    }
    const refused = await person.browser.post("/auth/device", { csrf_token, user_code: "ZZZZ-ZZZN", decision: "authorize" });
    expect(refused.headers.get("location")).toContain("/device?user_code=ZZZZ-ZZZN");
    expect(await (await person.browser.get("/device?user_code=ZZZZ-ZZZN")).text()).toContain("Too many codes");
  });

  it("limits guessing of user codes per address", async () => {
    const person = await signedInPerson();
    let limited = false;
    for (let attempt = 0; attempt < 12 && !limited; attempt += 1) {
      limited = (await (await person.browser.get(`/device?user_code=ZZZZ-ZZZ${"BCDFGHJKLMNP"[attempt]}`)).text()).includes(
        "Too many codes",
      );
    }
    expect(limited).toBe(true);
  });
});
