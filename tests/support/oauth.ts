/** Helpers for tests of the token service: obtaining codes, and raw token-endpoint requests. */
import { SignJWT } from "jose";
import * as oauth from "oauth4webapi";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db";
import { activeSigningKey } from "@/lib/oauth/keys";
import assert from "node:assert/strict";
import { authorizationParams, authorizePath, baseUrl, freshAddress, HttpSession } from "./http-client";
import { newClient, newUser, pkcePair } from "./fixtures";

export const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** The portal as oauth4webapi sees it, through discovery (the test server is plain http). */
export async function discover(): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(baseUrl());
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...insecure }));
}

export async function signedInPerson() {
  const person = await newUser({ name: "Token Tester" });
  const browser = new HttpSession(freshAddress());
  assert.equal((await browser.signIn(person.email, person.password)).status, 303, "sign-in failed");
  return { ...person, browser };
}

/**
 * Runs the authorization request as the person and answers consent if asked;
 * returns the code with the PKCE verifier it needs.
 */
export async function obtainCode(
  browser: HttpSession,
  app: { clientId: string; redirectUri: string },
  extra: Record<string, string> = {},
): Promise<{ code: string; verifier: string; callback: URL }> {
  const { verifier, challenge } = pkcePair();
  let response = await browser.get(authorizePath(authorizationParams(app, { code_challenge: challenge, ...extra })));
  const location = new URL(response.headers.get("location") ?? "", baseUrl());
  if (location.pathname === "/consent") {
    const csrf_token = await browser.csrfTokenFrom(location.pathname + location.search);
    response = await browser.post("/auth/consent", {
      csrf_token,
      request: location.searchParams.get("request") ?? "",
      decision: "authorize",
    });
  }
  const callback = new URL(response.headers.get("location") ?? "");
  const code = callback.searchParams.get("code");
  if (!code) throw new Error(`no code in ${callback.toString()}`);
  return { code, verifier, callback };
}

/** An authorization request exactly as given (a seed's, say), answered with Authorize on the consent screen if it is shown. */
export async function authorizeAsWritten(
  browser: HttpSession,
  params: Record<string, string>,
): Promise<{ callback: URL; consentHtml: string | null }> {
  let response = await browser.get(authorizePath(params));
  let location = new URL(response.headers.get("location") ?? "", baseUrl());
  let consentHtml: string | null = null;
  if (location.pathname === "/consent") {
    const page = location.pathname + location.search;
    consentHtml = await (await browser.get(page)).text();
    const csrf_token = await browser.csrfTokenFrom(page);
    response = await browser.post("/auth/consent", {
      csrf_token,
      request: location.searchParams.get("request") ?? "",
      decision: "authorize",
    });
    location = new URL(response.headers.get("location") ?? "");
  }
  return { callback: location, consentHtml };
}

export function basic(clientId: string, secret: string): Record<string, string> {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return { authorization: `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString("base64")}` };
}

/** A raw form POST to a protocol endpoint. */
export function postForm(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL(path, baseUrl()), {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    redirect: "manual",
  });
}

/** Exchanges a code at the token endpoint (a public client's, unless `extra` or `headers` authenticate it). */
export function redeem(
  app: { clientId: string; redirectUri: string },
  code: string,
  verifier: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  return postForm(
    "/oauth/token",
    {
      grant_type: "authorization_code",
      client_id: app.clientId,
      code,
      redirect_uri: app.redirectUri,
      code_verifier: verifier,
      ...extra,
    },
    headers,
  );
}

/** The app's credentials the way it registered to send them: Basic, the body, or none. */
export function clientCredentials(app: { clientId: string; clientSecret?: string; client: { tokenEndpointAuthMethod: string } }): {
  body: Record<string, string>;
  headers: Record<string, string>;
} {
  if (!app.clientSecret) return { body: {}, headers: {} };
  if (app.client.tokenEndpointAuthMethod === "client_secret_post") return { body: { client_secret: app.clientSecret }, headers: {} };
  return { body: {}, headers: basic(app.clientId, app.clientSecret) };
}

export type TokenSet = {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  scope: string;
  expires_in: number;
  token_type: string;
};

/** A person's tokens for a new first-party public app (no consent screen). */
export async function userTokens(appOverrides: Parameters<typeof newClient>[0] = {}, extra: Record<string, string> = {}) {
  const person = await signedInPerson();
  return { person, ...(await tokensOf(person.browser, appOverrides, extra)) };
}

/** Tokens a new first-party app holds for the person signed in in `browser`. */
export async function tokensOf(
  browser: HttpSession,
  appOverrides: Parameters<typeof newClient>[0] = {},
  extra: Record<string, string> = {},
) {
  const app = await newClient({ isFirstParty: true, ...appOverrides });
  const { code, verifier } = await obtainCode(browser, app, extra);
  const credentials = clientCredentials(app);
  const response = await redeem(app, code, verifier, credentials.body, credentials.headers);
  assert.equal(response.status, 200, `code exchange failed: ${response.status}`);
  return { app, tokens: (await response.json()) as TokenSet };
}

/** The token endpoint's answer to a refresh by a public app. */
export function refresh(app: { clientId: string }, refreshToken: string): Promise<Response> {
  return postForm("/oauth/token", { grant_type: "refresh_token", client_id: app.clientId, refresh_token: refreshToken });
}

/** A refresh token a new first-party app holds for the person signed in in `browser`, proven to work once (rotated). */
export async function workingRefreshToken(browser: HttpSession): Promise<{ app: { clientId: string }; refreshToken: string }> {
  const { app, tokens } = await tokensOf(browser, {}, { scope: "openid offline_access" });
  const rotated = await refresh(app, tokens.refresh_token ?? "");
  assert.equal(rotated.status, 200, `refresh failed: ${rotated.status}`);
  return { app, refreshToken: ((await rotated.json()) as TokenSet).refresh_token ?? "" };
}

export function userinfo(accessToken: string) {
  return fetch(new URL("/oauth/userinfo", baseUrl()), { headers: { authorization: `Bearer ${accessToken}` } });
}

/** A token signed with the portal's own key, for shapes the portal would never issue itself. */
export async function signedByPortal(
  claims: Record<string, unknown>,
  options: { typ?: string; expiresAt?: number; audience?: string } = {},
) {
  const key = await activeSigningKey(getConfig().accessTokenSigningAlg);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: options.typ ?? "at+jwt" })
    .setIssuer(baseUrl())
    .setAudience(options.audience ?? `${baseUrl()}/api/v1`)
    .setIssuedAt(now - 7200)
    .setExpirationTime(options.expiresAt ?? now + 600)
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
}

/** An admin, signed in, with a CSRF token for the admin forms. */
export async function signedInAdmin() {
  const admin = await newUser();
  await db().user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
  const browser = new HttpSession(freshAddress());
  await browser.signIn(admin.email, admin.password);
  return { ...admin, browser, csrf_token: await browser.csrfTokenFrom("/admin") };
}

/** The reasons recorded for the app's failed calls (its activity), oldest first, waiting for the batched audit queue. */
export async function failureReasons(clientId: string, count: number): Promise<string[]> {
  for (let i = 0; i < 50; i++) {
    const events = await db().auditEvent.findMany({ where: { clientId, type: "request.failed" }, orderBy: { id: "asc" } });
    if (events.length >= count) return events.map((event) => (JSON.parse(event.details!) as { reason: string }).reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fewer than ${count} failures recorded for ${clientId}`);
}
