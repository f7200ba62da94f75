/** Signing out: OpenID Connect RP-Initiated Logout 1.0 (with openid-client) and Back-Channel Logout 1.0. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as client from "openid-client";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { db } from "@/lib/db";
import { setUserDisabled } from "@/lib/admin";
import { changePassword } from "@/lib/accounts/profile";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { newClient, newUser } from "../support/fixtures";
import { clientCredentials, obtainCode, redeem, signedInPerson, type TokenSet } from "../support/oauth";

type Person = Awaited<ReturnType<typeof signedInPerson>>;

async function idTokenFor(person: Person, app: Awaited<ReturnType<typeof newClient>>): Promise<string> {
  const { code, verifier } = await obtainCode(person.browser, app, { scope: "openid" });
  const credentials = clientCredentials(app);
  return ((await (await redeem(app, code, verifier, credentials.body, credentials.headers)).json()) as TokenSet).id_token!;
}

async function signedIn(person: Person): Promise<boolean> {
  return (await person.browser.get("/dashboard/apps")).status === 200;
}

describe("RP-Initiated Logout", () => {
  it("signs out at once for a valid id_token_hint and returns to the registered URI with state (openid-client)", async () => {
    const app = await newClient({ isFirstParty: true, postLogoutRedirectUris: ["https://rp.example/signed-out"] });
    const person = await signedInPerson();
    const idToken = await idTokenFor(person, app);
    const config = await client.discovery(new URL(baseUrl()), app.clientId, {}, client.None(), { execute: [client.allowInsecureRequests] });
    const url = client.buildEndSessionUrl(config, {
      id_token_hint: idToken,
      post_logout_redirect_uri: "https://rp.example/signed-out",
      state: "bye-1",
    });
    expect(url.pathname).toBe("/oauth/logout");
    expect(await signedIn(person)).toBe(true);
    const response = await person.browser.get(url.pathname + url.search);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("https://rp.example/signed-out?state=bye-1");
    expect(await signedIn(person)).toBe(false);
  });

  it("asks first without a hint, and signs out only when the person confirms", async () => {
    const app = await newClient({ isFirstParty: true, postLogoutRedirectUris: ["https://rp.example/after"] });
    const person = await signedInPerson();
    const query = new URLSearchParams({ client_id: app.clientId, post_logout_redirect_uri: "https://rp.example/after", state: "s-2" });
    const first = await person.browser.get(`/oauth/logout?${query}`);
    expect(first.status).toBe(303);
    const confirmation = new URL(first.headers.get("location")!);
    expect(confirmation.pathname).toBe("/logout");
    const page = await (await person.browser.get(confirmation.pathname + confirmation.search)).text();
    expect(page).toContain("asks to sign you out");
    expect(await signedIn(person)).toBe(true);

    const csrf_token = await person.browser.csrfTokenFrom(confirmation.pathname + confirmation.search);
    const stay = await person.browser.post("/auth/logout", { csrf_token, request: query.toString(), decision: "stay" });
    expect(stay.headers.get("location")).toBe(`${baseUrl()}/`);
    expect(await signedIn(person)).toBe(true);
    const out = await person.browser.post("/auth/logout", { csrf_token, request: query.toString(), decision: "sign_out" });
    expect(out.headers.get("location")).toBe("https://rp.example/after?state=s-2");
    expect(await signedIn(person)).toBe(false);
  });

  it("asks when the hint names someone else, and refuses an unregistered redirect without signing out", async () => {
    const app = await newClient({ isFirstParty: true, postLogoutRedirectUris: ["https://rp.example/out"] });
    const someoneElse = await signedInPerson();
    const hint = await idTokenFor(someoneElse, app);
    const person = await signedInPerson();
    const asked = await person.browser.get(`/oauth/logout?${new URLSearchParams({ id_token_hint: hint })}`);
    expect(new URL(asked.headers.get("location")!).pathname).toBe("/logout");
    expect(await signedIn(person)).toBe(true);

    const bad = new URLSearchParams({ client_id: app.clientId, post_logout_redirect_uri: "https://evil.example/out" });
    const refused = await person.browser.get(`/oauth/logout?${bad}`);
    const page = await (await person.browser.get(`${new URL(refused.headers.get("location")!).pathname}?${bad}`)).text();
    expect(page).toContain("is not a post-logout redirect URI registered for");
    expect(page).not.toContain('name="decision"');
    expect(await signedIn(person)).toBe(true);
  });

  it("is advertised in discovery with back-channel logout", async () => {
    const metadata = (await (await fetch(`${baseUrl()}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      end_session_endpoint: `${baseUrl()}/oauth/logout`,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
  });
});

describe("Back-Channel Logout", () => {
  let receiver: Server;
  let receiverUrl = "";
  const received: { path: string; token: string }[] = [];
  /** Paths that answer 500 this many more times. */
  const failures = new Map<string, number>();

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        const path = request.url ?? "/";
        const remaining = failures.get(path) ?? 0;
        if (remaining > 0) {
          failures.set(path, remaining - 1);
          return response.writeHead(500).end();
        }
        received.push({ path, token: new URLSearchParams(body).get("logout_token") ?? "" });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });

  afterAll(() => receiver.close());

  const deliveredTo = (path: string) => received.filter((entry) => entry.path === path);

  it("posts a signed logout token to each app the person used when they sign out, retrying a failed delivery", async () => {
    const path = `/bcl-${Date.now()}`;
    failures.set(path, 1);
    const app = await newClient({ isFirstParty: true, backchannelLogoutUri: `${receiverUrl}${path}` });
    const person = await signedInPerson();
    const idToken = await idTokenFor(person, app);
    const sid = decodeJwt(idToken).sid;
    expect(sid).toMatch(/^[\w-]{22}$/);
    const csrf_token = await person.browser.csrfTokenFrom("/");
    await person.browser.post("/auth/sign-out", { csrf_token });

    // The first attempt is refused with 500; the retry 5 seconds later gets through.
    await expect.poll(() => deliveredTo(path).length, { timeout: 20_000, interval: 250 }).toBe(1);
    const token = deliveredTo(path)[0]!.token;
    expect(decodeProtectedHeader(token).typ).toBe("logout+jwt");
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${baseUrl()}/.well-known/jwks.json`)), {
      issuer: baseUrl(),
      audience: app.clientId,
      typ: "logout+jwt",
    });
    // The session that ended, by the sid its ID tokens carried.
    expect(payload).toMatchObject({ sub: person.user.id, sid, events: { "http://schemas.openid.net/event/backchannel-logout": {} } });
    expect(payload.nonce).toBeUndefined();
    expect(payload.jti).toBeTruthy();

    // Both attempts are in the app's activity.
    await expect
      .poll(
        async () =>
          (
            await db().auditEvent.findMany({
              where: { clientId: app.clientId, type: { startsWith: "logout." } },
              orderBy: { createdAt: "asc" },
            })
          ).map((event) => event.type),
        { timeout: 5000 },
      )
      .toEqual(["logout.backchannel_failed", "logout.backchannel_delivered"]);
  }, 30_000);

  it("tells the apps of each other session that a password change ends, and not of the session that stays", async () => {
    const path = `/bcl-password-${Date.now()}`;
    const app = await newClient({ isFirstParty: true, backchannelLogoutUri: `${receiverUrl}${path}` });
    const person = await signedInPerson();
    const endingSid = decodeJwt(await idTokenFor(person, app)).sid;
    const staying = new HttpSession(freshAddress());
    await staying.signIn(person.email, person.password);
    const sessions = await db().session.findMany({ where: { userId: person.user.id } });
    const kept = sessions.find((session) => session.sid !== endingSid)!;
    await changePassword(
      person.user,
      { current: person.password, next: "a changed password", keepSessionIdHash: kept.idHash },
      { ip: "203.0.113.5" },
    );

    await expect.poll(() => deliveredTo(path).length, { timeout: 15_000, interval: 250 }).toBe(1);
    expect(decodeJwt(deliveredTo(path)[0]!.token).sid).toBe(endingSid);
    expect((await person.browser.get("/account")).status).toBe(307);
    expect((await staying.get("/account")).status).toBe(200);
  }, 20_000);

  it("tells the apps when an admin disables the person, and not apps the person never used", async () => {
    const used = `/bcl-used-${Date.now()}`;
    const unused = `/bcl-unused-${Date.now()}`;
    const app = await newClient({ isFirstParty: true, backchannelLogoutUri: `${receiverUrl}${used}` });
    await newClient({ isFirstParty: true, backchannelLogoutUri: `${receiverUrl}${unused}` });
    const person = await signedInPerson();
    await idTokenFor(person, app);
    const admin = await newUser();
    await setUserDisabled(person.user, true, { ...admin.user, isAdmin: true });
    await expect.poll(() => deliveredTo(used).length, { timeout: 15_000, interval: 250 }).toBe(1);
    expect(deliveredTo(unused)).toEqual([]);
  }, 20_000);
});
