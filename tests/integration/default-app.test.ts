/**
 * An app registered with every default works with the documentation we
 * started from as written: seed 001's requests (its secret in a form body, a
 * scope of an API named by no audience), client libraries that send the
 * secret either way, and an owner's pinned method still enforced.
 */
import { webcrypto } from "node:crypto";
import { AuthorizationCode } from "simple-oauth2";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { baseUrl } from "../support/http-client";
import { newClient, newUser } from "../support/fixtures";
import { authorizeAsWritten, basic, failureReasons, postForm, signedInPerson, type TokenSet } from "../support/oauth";
import { expectOAuthError } from "../support/expect-oauth";
import { runPortalCli } from "../support/portal-cli";

const SEED_001_CALLBACK = "https://client.example.com/callback";
const INVOICES_API = "https://invoices.seed-001.example";

/** Seed 001's PKCE helper, as written (step 3). */
async function generatePkce() {
  const crypto = webcrypto;
  const verifier = crypto.getRandomValues(new Uint8Array(64));
  const codeVerifier = btoa(String.fromCharCode(...verifier))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  const encoder = new TextEncoder();
  const hash = await crypto.subtle.digest("SHA-256", encoder.encode(codeVerifier));
  const codeChallenge = btoa(String.fromCharCode(...new Uint8Array(hash)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  return { codeVerifier, codeChallenge };
}

/** `client create --name N --redirect-uri U --json` and no other flag. */
async function defaultCliApp(name: string, redirectUri: string) {
  const created = await runPortalCli(["client", "create", "--name", name, "--redirect-uri", redirectUri, "--json"]);
  expect(created.status, created.stderr).toBe(0);
  const printed = JSON.parse(created.stdout) as {
    client_id: string;
    client_secret: string;
    token_endpoint_auth_method: string;
    any_user_scope: boolean;
  };
  expect(printed).toMatchObject({ token_endpoint_auth_method: "client_secret", any_user_scope: true });
  return { clientId: printed.client_id, clientSecret: printed.client_secret, redirectUri };
}

describe("seed 001 against an app created with `client create --name --redirect-uri`", () => {
  let app: Awaited<ReturnType<typeof defaultCliApp>>;

  beforeAll(async () => {
    // The seed's server defines invoices.read and invoices.write and issues refresh tokens without offline_access.
    const api = await runPortalCli([
      "api",
      "create",
      "--name",
      "Invoices",
      "--identifier",
      INVOICES_API,
      "--scope",
      "invoices.read=Read your invoices",
      "--scope",
      "invoices.write=Create and change your invoices",
      "--allow-offline-access",
      "--offline-access-without-scope",
      "--json",
    ]);
    expect(api.status, api.stderr).toBe(0);
    app = await defaultCliApp("ERP Connector", SEED_001_CALLBACK);
  });

  it("runs steps 3, 5 and 8 as written: the authorization URL, then the exchange and the refresh with the secret in a form body", async () => {
    const person = await signedInPerson();
    const { codeVerifier, codeChallenge } = await generatePkce();
    // GET /oauth/authorize?response_type=code&client_id={client_id}&redirect_uri={redirect_uri}&scope=invoices.read&state={random_state}&code_challenge={challenge}&code_challenge_method=S256
    const { callback, consentHtml } = await authorizeAsWritten(person.browser, {
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: SEED_001_CALLBACK,
      scope: "invoices.read",
      state: "random-state-001",
      code_challenge: codeChallenge,
      code_challenge_method: "S256",
    });
    // No audience: the scope names the API, which the consent screen shows.
    expect(consentHtml).toContain(`Invoices (${INVOICES_API})`);
    expect(consentHtml).toContain("Read your invoices");
    expect(callback.searchParams.get("state")).toBe("random-state-001");

    // Http::asForm()->post('https://api.example.com/oauth/token', [...])
    const exchanged = await postForm("/oauth/token", {
      grant_type: "authorization_code",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code: callback.searchParams.get("code")!,
      redirect_uri: SEED_001_CALLBACK,
      code_verifier: codeVerifier,
    });
    expect(exchanged.status).toBe(200);
    const tokens = (await exchanged.json()) as TokenSet;
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: expect.any(Number), scope: "invoices.read" });
    expect(tokens.refresh_token).toBeTruthy();
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      aud: INVOICES_API,
      scope: "invoices.read",
      client_id: app.clientId,
      sub: person.user.id,
    });

    // Step 8: refresh tokens rotate on each use; the old one is revoked.
    const refreshBody = (refreshToken: string) => ({
      grant_type: "refresh_token",
      client_id: app.clientId,
      client_secret: app.clientSecret,
      refresh_token: refreshToken,
    });
    const refreshed = await postForm("/oauth/token", refreshBody(tokens.refresh_token!));
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as TokenSet;
    expect(next.refresh_token).toBeTruthy();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    await expectOAuthError(await postForm("/oauth/token", refreshBody(tokens.refresh_token!)), 400, "invalid_grant");
  });

  it("takes the same app's secret by HTTP Basic too, one method per request", async () => {
    const person = await signedInPerson();
    const { codeVerifier, codeChallenge } = await generatePkce();
    const { callback } = await authorizeAsWritten(person.browser, {
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: SEED_001_CALLBACK,
      scope: "invoices.read",
      code_challenge: codeChallenge,
      code_challenge_method: "S256",
    });
    const code = {
      grant_type: "authorization_code",
      code: callback.searchParams.get("code")!,
      redirect_uri: SEED_001_CALLBACK,
      code_verifier: codeVerifier,
    };
    // Both at once is still refused, and spends nothing.
    await expectOAuthError(
      await postForm("/oauth/token", { ...code, client_secret: app.clientSecret }, basic(app.clientId, app.clientSecret)),
      400,
      "invalid_request",
    );
    expect((await postForm("/oauth/token", code, basic(app.clientId, app.clientSecret))).status).toBe(200);
  });
});

describe("simple-oauth2 against a default app", () => {
  let app: Awaited<ReturnType<typeof defaultCliApp>>;
  beforeAll(async () => {
    app = await defaultCliApp("simple-oauth2 app", "https://simple-oauth2.example/callback");
  });

  it.each(["body", "header"] as const)("exchanges, refreshes and revokes with authorizationMethod %s", async (authorizationMethod) => {
    const library = new AuthorizationCode({
      client: { id: app.clientId, secret: app.clientSecret },
      auth: { tokenHost: baseUrl(), tokenPath: "/oauth/token", authorizePath: "/oauth/authorize", revokePath: "/oauth/revoke" },
      options: { authorizationMethod },
    });
    const person = await signedInPerson();
    const authorizeUrl = new URL(
      library.authorizeURL({ redirect_uri: app.redirectUri, scope: "openid email offline_access", state: "s2" }),
    );
    const { callback } = await authorizeAsWritten(person.browser, Object.fromEntries(authorizeUrl.searchParams));
    const token = await library.getToken({
      code: callback.searchParams.get("code")!,
      redirect_uri: app.redirectUri,
      scope: "openid email offline_access",
    });
    expect(token.token).toMatchObject({ token_type: "Bearer", scope: "openid email offline_access" });
    const refreshed = await token.refresh();
    expect(refreshed.token.refresh_token).not.toBe(token.token.refresh_token);
    await refreshed.revokeAll();
    await expectOAuthError(
      await postForm("/oauth/token", {
        grant_type: "refresh_token",
        refresh_token: String(refreshed.token.refresh_token),
        client_id: app.clientId,
        client_secret: app.clientSecret,
      }),
      400,
      "invalid_grant",
    );
  });
});

describe("a pinned method", () => {
  it("refuses the other way, with the reason in the app's activity", async () => {
    const owner = await newUser();
    const basicOnly = await newClient({
      ownerId: owner.user.id,
      isConfidential: true,
      grantTypes: ["client_credentials"],
      scopes: [],
      tokenEndpointAuthMethod: "client_secret_basic",
    });
    const postOnly = await newClient({
      ownerId: owner.user.id,
      isConfidential: true,
      grantTypes: ["client_credentials"],
      scopes: [],
      tokenEndpointAuthMethod: "client_secret_post",
    });

    const inBody = await postForm("/oauth/token", {
      grant_type: "client_credentials",
      client_id: basicOnly.clientId,
      client_secret: basicOnly.clientSecret!,
    });
    expect(await inBody.json()).toEqual({
      error: "invalid_client",
      error_description: "This app authenticates with client_secret_basic, not client_secret_post",
    });
    expect(inBody.status).toBe(401);
    expect(
      (await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(basicOnly.clientId, basicOnly.clientSecret!))).status,
    ).toBe(200);

    const byHeader = await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(postOnly.clientId, postOnly.clientSecret!));
    await expectOAuthError(byHeader, 401, "invalid_client");
    expect(byHeader.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect(
      (
        await postForm("/oauth/token", {
          grant_type: "client_credentials",
          client_id: postOnly.clientId,
          client_secret: postOnly.clientSecret!,
        })
      ).status,
    ).toBe(200);

    expect(await failureReasons(basicOnly.clientId, 1)).toEqual(["sent the secret in the body; this app accepts Basic only"]);
    expect(await failureReasons(postOnly.clientId, 1)).toEqual([
      "sent the secret in an Authorization: Basic header; this app accepts the secret in the body only",
    ]);
  });
});
