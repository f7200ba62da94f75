/**
 * APIs as resource servers: seed 003's flow as written (audience, a
 * confidential app without PKCE, a JSON token request), tokens bound to one
 * API, and the example API in examples/ verifying them with jose.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import * as client from "openid-client";
import { db } from "@/lib/db";
import { deleteApi, findResourceApi, registerApi, updateApi } from "@/lib/oauth/apis";
import { baseUrl } from "../support/http-client";
import { newApi, newClient } from "../support/fixtures";
import { authorizeAsWritten, obtainCode, postForm, signedInPerson, userinfo, type TokenSet } from "../support/oauth";
import { expectOAuthError } from "../support/expect-oauth";
import { freePort } from "../support/test-server";
import { runPortalCli } from "../support/portal-cli";
import { ValidationError } from "@/lib/oauth/errors";

const SEED_AUDIENCE = "appointments:api";

/** The example API of examples/api, trusting this portal, for the given identifier. */
async function startExampleApi(identifier: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["examples/api/server.mjs"], {
    env: { ...process.env, ISSUER_URL: baseUrl(), API_IDENTIFIER: identifier, PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await once(child.stdout!, "data");
  return { url: `http://127.0.0.1:${port}`, process: child };
}

function callApi(url: string, token: string) {
  return fetch(`${url}/appointments`, { headers: { authorization: `Bearer ${token}` } });
}

/** The seed's token request, literally: a JSON body with client_id and client_secret, no PKCE. */
function seedTokenRequest(app: { clientId: string; clientSecret?: string; redirectUri: string }, code: string) {
  return fetch(`${baseUrl()}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "authorization_code",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code,
      redirect_uri: app.redirectUri,
    }),
  });
}

describe("seed 003: the authorization code flow for an API, as written", () => {
  let example: { url: string; process: ChildProcess };
  let app: { clientId: string; clientSecret: string; redirectUri: string };

  beforeAll(async () => {
    // The API, registered through the CLI as an operator would (the dashboard is covered in e2e/apis.spec.ts).
    const created = await runPortalCli([
      "api",
      "create",
      "--name",
      "Appointments",
      "--identifier",
      SEED_AUDIENCE,
      "--scope",
      "appointments=Read and book your appointments",
      "--scope",
      "contacts=See your contacts",
      "--allow-offline-access",
      "--token-lifetime",
      "600",
      "--json",
    ]);
    expect(created.status, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      identifier: SEED_AUDIENCE,
      scopes: ["appointments", "contacts"],
      access_token_lifetime: 600,
    });
    // A regular web app registered with every default, as Auth0's "Create Application" leaves it: confidential,
    // no PKCE, its secret taken by Basic or in the body, and any scope an API offers people.
    const registered = await runPortalCli([
      "client",
      "create",
      "--name",
      "Seed 003 app",
      "--redirect-uri",
      "https://myclientapp.com/callback",
      "--json",
    ]);
    expect(registered.status, registered.stderr).toBe(0);
    const printed = JSON.parse(registered.stdout) as { client_id: string; client_secret: string; token_endpoint_auth_method: string };
    expect(printed.token_endpoint_auth_method).toBe("client_secret");
    app = { clientId: printed.client_id, clientSecret: printed.client_secret, redirectUri: "https://myclientapp.com/callback" };
    example = await startExampleApi(SEED_AUDIENCE);
  });

  afterAll(() => {
    example?.process.kill();
  });

  it("issues a token for the API from the seed's literal requests, and the API accepts it", async () => {
    const person = await signedInPerson();
    // https://YOUR_AUTH0_DOMAIN/authorize?scope=appointments%20contacts&audience=appointments:api&response_type=code&client_id=…&redirect_uri=…
    const { callback, consentHtml } = await authorizeAsWritten(person.browser, {
      scope: "appointments contacts",
      audience: SEED_AUDIENCE,
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      state: "opaque-123",
    });
    // The consent screen names the API above its scopes.
    expect(consentHtml).toContain("Appointments (appointments:api)");
    expect(consentHtml).toContain("Read and book your appointments");
    expect(callback.searchParams.get("state")).toBe("opaque-123");
    const response = await seedTokenRequest(app, callback.searchParams.get("code")!);
    expect(response.status).toBe(200);
    const tokens = (await response.json()) as TokenSet;
    expect(tokens).toMatchObject({ token_type: "Bearer", scope: "appointments contacts", expires_in: 600 });
    // Without offline_access (and openid) there is neither a refresh token nor an ID token: the seed's note.
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      aud: SEED_AUDIENCE,
      scope: "appointments contacts",
      client_id: app.clientId,
      sub: person.user.id,
    });

    const answer = await callApi(example.url, tokens.access_token);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ for: person.user.id, app: app.clientId });
    // A token for one API is refused by every other, the portal's own included.
    expect((await fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
  });

  it("adds a refresh token with offline_access and an ID token with openid, and refreshing keeps the API", async () => {
    const person = await signedInPerson();
    const { callback, consentHtml } = await authorizeAsWritten(person.browser, {
      scope: "openid appointments offline_access",
      audience: SEED_AUDIENCE,
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
    });
    // offline_access is asked for on the consent screen, like every scope.
    expect(consentHtml).toContain("Stay connected when you are not using the app");
    const tokens = (await (await seedTokenRequest(app, callback.searchParams.get("code")!)).json()) as TokenSet;
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.id_token).toBeTruthy();
    // With openid, the token is good at userinfo too, but still not at /api/v1.
    expect(decodeJwt(tokens.access_token).aud).toEqual([SEED_AUDIENCE, `${baseUrl()}/oauth/userinfo`]);
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    expect((await fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);

    const refreshed = (await (
      await postForm("/oauth/token", {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token!,
        client_id: app.clientId,
        client_secret: app.clientSecret!,
      })
    ).json()) as TokenSet;
    expect(refreshed).toMatchObject({ scope: "openid appointments offline_access", expires_in: 600 });
    expect(decodeJwt(refreshed.access_token)).toMatchObject({ aud: [SEED_AUDIENCE, `${baseUrl()}/oauth/userinfo`] });
    expect((await callApi(example.url, refreshed.access_token)).status).toBe(200);
  });

  it("refuses a token for the portal's own API or lacking the scope at the example API", async () => {
    const person = await signedInPerson();
    const portalApp = await newClient({ isFirstParty: true, scopes: ["openid", "appointments", "contacts"] });
    const portalCode = await obtainCode(person.browser, portalApp, { scope: "openid" });
    const portalTokens = (await (
      await postForm("/oauth/token", {
        grant_type: "authorization_code",
        client_id: portalApp.clientId,
        code: portalCode.code,
        redirect_uri: portalApp.redirectUri,
        code_verifier: portalCode.verifier,
      })
    ).json()) as TokenSet;
    expect((await callApi(example.url, portalTokens.access_token)).status).toBe(401);

    const { callback } = await authorizeAsWritten(person.browser, {
      scope: "contacts",
      audience: SEED_AUDIENCE,
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
    });
    const contactsOnly = (await (await seedTokenRequest(app, callback.searchParams.get("code")!)).json()) as TokenSet;
    const refused = await callApi(example.url, contactsOnly.access_token);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  });
});

describe("requesting an API", () => {
  it("invalid_target for an API that is not registered, invalid_scope for a scope it does not define", async () => {
    const api = await newApi();
    const app = await newClient({
      isConfidential: true,
      tokenEndpointAuthMethod: "client_secret_post",
      scopes: ["openid", "read", "apps.read"],
    });
    const person = await signedInPerson();
    for (const [params, error] of [
      [{ audience: "https://nowhere.example" }, "invalid_target"],
      [{ resource: api.identifier, audience: "https://nowhere.example" }, "invalid_target"],
      [{ audience: api.identifier, scope: "apps.read" }, "invalid_scope"],
      [{ audience: api.identifier, scope: "write" }, "invalid_scope"],
    ] as const) {
      const { callback } = await authorizeAsWritten(person.browser, {
        response_type: "code",
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        scope: "read",
        ...params,
      });
      expect(callback.searchParams.get("error")).toBe(error);
    }
  });

  it("takes RFC 8707 resource as well as audience, and asks consent per API", async () => {
    const api = await newApi({ name: "Resource API" });
    const app = await newClient({ isConfidential: true, tokenEndpointAuthMethod: "client_secret_post", scopes: ["openid", "read"] });
    const person = await signedInPerson();
    const first = await authorizeAsWritten(person.browser, {
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      scope: "openid read",
      resource: api.identifier,
    });
    expect(first.consentHtml).toContain("Resource API");
    const tokens = (await (await seedTokenRequest(app, first.callback.searchParams.get("code")!)).json()) as TokenSet;
    expect(decodeJwt(tokens.access_token).aud).toEqual([api.identifier, `${baseUrl()}/oauth/userinfo`]);
    // Remembered for this API...
    expect(
      (
        await authorizeAsWritten(person.browser, {
          response_type: "code",
          client_id: app.clientId,
          redirect_uri: app.redirectUri,
          scope: "openid read",
          audience: api.identifier,
        })
      ).consentHtml,
    ).toBeNull();
    // ...but consent to one API is not consent to another.
    const other = await newApi({ name: "Another API" });
    expect(
      (
        await authorizeAsWritten(person.browser, {
          response_type: "code",
          client_id: app.clientId,
          redirect_uri: app.redirectUri,
          scope: "openid read",
          audience: other.identifier,
        })
      ).consentHtml,
    ).toContain("Another API");
  });

  it("gives openid-client a token for the API it names with resource (RFC 8707)", async () => {
    const api = await newApi({ name: "Indicated API", allowOfflineAccess: true });
    const app = await newClient({ isConfidential: true, isFirstParty: true, scopes: ["openid", "read", "offline_access"] });
    const config = await client.discovery(new URL(baseUrl()), app.clientId, {}, client.ClientSecretBasic(app.clientSecret!), {
      execute: [client.allowInsecureRequests],
    });
    const person = await signedInPerson();
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: app.redirectUri,
      scope: "openid read offline_access",
      resource: api.identifier,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    const { consentHtml, callback } = await authorizeAsWritten(person.browser, Object.fromEntries(url.searchParams));
    expect(consentHtml).toContain("Indicated API");
    const tokens = await client.authorizationCodeGrant(
      config,
      callback,
      { pkceCodeVerifier: verifier, idTokenExpected: true },
      { resource: api.identifier },
    );
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      aud: [api.identifier, `${baseUrl()}/oauth/userinfo`],
      scope: "openid read offline_access",
    });
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(decodeJwt(refreshed.access_token).aud).toEqual([api.identifier, `${baseUrl()}/oauth/userinfo`]);
    // A refresh may repeat the API, not switch to another (and nothing rotates when it tries).
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token!, { resource: `${baseUrl()}/api/v1` })).rejects.toMatchObject({
      error: "invalid_target",
    });
    expect((await client.refreshTokenGrant(config, refreshed.refresh_token!, { resource: api.identifier })).access_token).toBeTruthy();
  });

  it("skips consent for a first-party app only when the API allows it", async () => {
    const strict = await newApi({ name: "Strict API" });
    const lenient = await newApi({ name: "Lenient API", allowSkipConsent: true });
    const app = await newClient({
      isConfidential: true,
      tokenEndpointAuthMethod: "client_secret_post",
      isFirstParty: true,
      scopes: ["read"],
    });
    const person = await signedInPerson();
    const ask = (api: { identifier: string }) =>
      authorizeAsWritten(person.browser, {
        response_type: "code",
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        scope: "read",
        audience: api.identifier,
      });
    expect((await ask(strict)).consentHtml).toContain("Strict API");
    const skipped = await ask(lenient);
    expect(skipped.consentHtml).toBeNull();
    expect(skipped.callback.searchParams.get("code")).toBeTruthy();
  });

  it("issues refresh tokens only where the API and the app allow them", async () => {
    const noOffline = await newApi();
    const offlineAnyway = await newApi({ allowOfflineAccess: true, offlineAccessScopeRequired: false });
    const person = await signedInPerson();
    const refreshFor = async (api: { identifier: string }, scope: string, app: Awaited<ReturnType<typeof newClient>>) => {
      const { callback } = await authorizeAsWritten(person.browser, {
        response_type: "code",
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        scope,
        audience: api.identifier,
      });
      return ((await (await seedTokenRequest(app, callback.searchParams.get("code")!)).json()) as TokenSet).refresh_token;
    };
    const app = await newClient({
      isConfidential: true,
      tokenEndpointAuthMethod: "client_secret_post",
      scopes: ["read", "offline_access"],
    });
    expect(await refreshFor(noOffline, "read offline_access", app)).toBeUndefined();
    expect(await refreshFor(offlineAnyway, "read", app)).toBeTruthy();
    // An app that requires offline_access gets no refresh token without it, even where the API would give one.
    const strictApp = await newClient({
      isConfidential: true,
      tokenEndpointAuthMethod: "client_secret_post",
      scopes: ["read", "offline_access"],
      requireOfflineAccess: true,
    });
    expect(await refreshFor(offlineAnyway, "read", strictApp)).toBeUndefined();
    expect(await refreshFor(offlineAnyway, "read offline_access", strictApp)).toBeTruthy();
  });

  it("ends the refresh tokens of a deleted API, and then refuses it with invalid_target", async () => {
    const api = await newApi({ allowOfflineAccess: true });
    const app = await newClient({
      isConfidential: true,
      tokenEndpointAuthMethod: "client_secret_post",
      scopes: ["read", "offline_access"],
    });
    const person = await signedInPerson();
    const { callback } = await authorizeAsWritten(person.browser, {
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      scope: "read offline_access",
      audience: api.identifier,
    });
    const tokens = (await (await seedTokenRequest(app, callback.searchParams.get("code")!)).json()) as TokenSet;
    await deleteApi(api, person.user.id);
    await expectOAuthError(
      await postForm("/oauth/token", {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token!,
        client_id: app.clientId,
        client_secret: app.clientSecret!,
      }),
      400,
      "invalid_grant",
    );
    expect(await db().grant.count({ where: { apiId: api.id } })).toBe(0);
  });
});

describe("registering APIs", () => {
  it("refuses identifiers under the portal's address, taken ones, and bad scopes, writing nothing", async () => {
    const before = await db().api.count();
    const refusal = async (input: Parameters<typeof registerApi>[0]) => {
      const error = await registerApi(input, null).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).issues.join(" ");
    };
    expect(await refusal({ name: "Sneaky", identifier: `${baseUrl()}/oauth/userinfo` })).toMatch(/reserved/);
    expect(await refusal({ name: "Sneaky", identifier: baseUrl() })).toMatch(/reserved/);
    expect(await refusal({ name: "Twice", identifier: SEED_AUDIENCE })).toMatch(/already has this identifier/);
    expect(await refusal({ name: "Spaces", identifier: "has spaces" })).toMatch(/without spaces/);
    expect(
      await refusal({ name: "Identity", identifier: `urn:${randomUUID()}`, scopes: [{ name: "openid", description: "Mine" }] }),
    ).toMatch(/portal's own scopes/);
    expect(
      await refusal({
        name: "Twice",
        identifier: `urn:${randomUUID()}`,
        scopes: [
          { name: "a", description: "A" },
          { name: "a", description: "B" },
        ],
      }),
    ).toMatch(/once/);
    expect(await db().api.count()).toBe(before);
  });

  it("keeps the identity scopes when the portal's own API is edited", async () => {
    const portalApi = (await findResourceApi(`${baseUrl()}/api/v1`))!;
    const own = [...portalApi.scopes].filter(([name]) => !["openid", "profile", "email", "offline_access"].includes(name));
    await updateApi(
      portalApi,
      {
        name: portalApi.name,
        allowSkipConsent: true,
        allowOfflineAccess: true,
        offlineAccessScopeRequired: false,
        scopes: own.map(([name, scope]) => ({ name, description: scope.description, tokenKind: scope.tokenKind as "any" })),
      },
      "admin",
    );
    const names = (await db().apiScope.findMany({ where: { apiId: portalApi.id } })).map((scope) => scope.name);
    expect(names).toEqual(expect.arrayContaining(["openid", "profile", "email", "offline_access", "apps.read"]));
  });
});
