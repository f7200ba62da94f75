/**
 * Two instances of the portal on one database (PostgreSQL under
 * `npm run test:postgres`, the SQLite file under `npm test`): nothing depends
 * on one process's memory being the only copy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { newClient, newUser } from "../support/fixtures";
import { db } from "@/lib/db";
import { basic, obtainCode, postForm, signedInPerson, userTokens, type TokenSet } from "../support/oauth";
import { currentServerEnv, startTestServer, type TestServer } from "../support/test-server";

let second: TestServer;
const A = () => baseUrl();
const B = () => second.baseUrl;

beforeAll(async () => {
  second = await startTestServer({ sameAs: currentServerEnv() });
}, 150_000);

afterAll(async () => {
  await second?.stop();
});

const redeemAt = (base: string, app: { clientId: string; redirectUri: string }, code: string, verifier: string) =>
  postForm(`${base}/oauth/token`, {
    grant_type: "authorization_code",
    client_id: app.clientId,
    code,
    redirect_uri: app.redirectUri,
    code_verifier: verifier,
  });
const refreshAt = (base: string, app: { clientId: string }, refresh_token: string) =>
  postForm(`${base}/oauth/token`, { grant_type: "refresh_token", client_id: app.clientId, refresh_token });
const meAt = (base: string, token: string) => fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });

describe("two instances on one database", () => {
  it("redeems at B a code issued at A", async () => {
    const app = await newClient({ isFirstParty: true });
    const person = await signedInPerson();
    const { code, verifier } = await obtainCode(person.browser, app);
    const response = await redeemAt(B(), app, code, verifier);
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as TokenSet;
    expect((await meAt(A(), tokens.access_token)).status).toBe(200);
  });

  it("answers at B, within the app's grace window, a refresh token just rotated at A with the same tokens", async () => {
    const { app, tokens } = await userTokens({ refreshGraceSeconds: 60 });
    const atA = (await (await refreshAt(A(), app, tokens.refresh_token!)).json()) as TokenSet;
    const atB = await refreshAt(B(), app, tokens.refresh_token!);
    expect(atB.status).toBe(200);
    expect(((await atB.json()) as TokenSet).refresh_token).toBe(atA.refresh_token);
  });

  it("rotates a refresh chain alternating A and B, and reuse at the other instance revokes the family", async () => {
    const app = await newClient({ isFirstParty: true });
    const person = await signedInPerson();
    const { code, verifier } = await obtainCode(person.browser, app);
    let tokens = (await (await redeemAt(A(), app, code, verifier)).json()) as TokenSet;
    const used: string[] = [];
    for (const base of [B(), A(), B(), A()]) {
      used.push(tokens.refresh_token!);
      const response = await refreshAt(base, app, tokens.refresh_token!);
      expect(response.status, base).toBe(200);
      tokens = (await response.json()) as TokenSet;
    }
    // An old token presented at B, after A rotated it: reuse, the whole family ends.
    expect((await refreshAt(B(), app, used[2]!)).status).toBe(400);
    expect((await refreshAt(A(), app, tokens.refresh_token!)).status).toBe(400);
    await expect.poll(async () => (await meAt(B(), tokens.access_token)).status, { timeout: 2000, interval: 100 }).toBe(401);
  });

  it("refuses at B within 2 s an access token revoked at A, and B's introspection says so at once", async () => {
    const app = await newClient({ isFirstParty: true, isConfidential: true });
    const person = await signedInPerson();
    const { code, verifier } = await obtainCode(person.browser, app);
    const auth = basic(app.clientId, app.clientSecret!);
    const tokens = (await (
      await postForm(
        `${A()}/oauth/token`,
        { grant_type: "authorization_code", code, redirect_uri: app.redirectUri, code_verifier: verifier },
        auth,
      )
    ).json()) as TokenSet;
    expect((await meAt(B(), tokens.access_token)).status).toBe(200);
    const introspectAtB = async () =>
      ((await (await postForm(`${B()}/oauth/introspect`, { token: tokens.access_token }, auth)).json()) as { active: boolean }).active;
    expect(await introspectAtB()).toBe(true);

    expect((await postForm(`${A()}/oauth/revoke`, { token: tokens.access_token }, auth)).status).toBe(200);
    const revokedAt = Date.now();
    expect(await introspectAtB()).toBe(false);
    await expect.poll(async () => (await meAt(B(), tokens.access_token)).status, { timeout: 2000, interval: 50 }).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(2000);
  });

  it("stops at B within 2 s the tokens of an app disabled through A", async () => {
    const { app, tokens } = await userTokens();
    expect((await meAt(B(), tokens.access_token)).status).toBe(200);
    // Disabled as the dashboard does it, on the database every instance shares.
    await db().client.update({ where: { id: app.clientId }, data: { disabledAt: new Date() } });
    const disabledAt = Date.now();
    await expect.poll(async () => (await meAt(B(), tokens.access_token)).status, { timeout: 3000, interval: 100 }).toBe(401);
    expect(Date.now() - disabledAt).toBeLessThan(2500);
  });

  it("lets exactly one of 20 concurrent redemptions split over A and B succeed", async () => {
    const app = await newClient({ isFirstParty: true });
    const person = await signedInPerson();
    const { code, verifier } = await obtainCode(person.browser, app);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => redeemAt(i % 2 === 0 ? A() : B(), app, code, verifier)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(19);
  });

  it("counts wrong passwords alternated over A and B as on one instance", async () => {
    const { email, password } = await newUser();
    const address = freshAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const browser = new HttpSession({ ...address, accept: "application/json" }, i % 2 === 0 ? A() : B());
      statuses.push((await browser.signIn(email, i < 5 ? "wrong" : password)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("keeps a session signed in at A valid at B (shared secrets)", async () => {
    const { email, password } = await newUser();
    const browser = new HttpSession(freshAddress(), A());
    expect((await browser.signIn(email, password)).status).toBe(303);
    browser.base = B();
    expect(await (await browser.get("/")).text()).toContain(email);
  });
});
