/** DPoP (RFC 9449): sender-constrained tokens, driven by openid-client, and proofs that must fail. */
import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as client from "openid-client";
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from "jose";
import { baseUrl } from "../support/http-client";
import { newClient } from "../support/fixtures";
import { basic, postForm, signedInPerson } from "../support/oauth";
import { expectOAuthError } from "../support/expect-oauth";
import { startTestServer, type TestServer } from "../support/test-server";
import { runPortalCli } from "../support/portal-cli";

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** A DPoP proof as RFC 9449 §4.2 describes it, with whatever the test changes. */
async function proof(keys: KeyPair, claims: { htm?: string; htu?: string; iat?: number; jti?: string; ath?: string } = {}) {
  return new SignJWT({
    htm: claims.htm ?? "POST",
    htu: claims.htu ?? `${baseUrl()}/oauth/token`,
    jti: claims.jti ?? randomUUID(),
    ...(claims.ath ? { ath: claims.ath } : {}),
  })
    .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk: await exportJWK(keys.publicKey) })
    .setIssuedAt(claims.iat ?? Math.floor(Date.now() / 1000))
    .sign(keys.privateKey);
}

const ath = (token: string) => createHash("sha256").update(token).digest("base64url");

async function codeFlow(base: string, app: Awaited<ReturnType<typeof newClient>>, keys: KeyPair) {
  const config = await client.discovery(new URL(base), app.clientId, {}, client.None(), { execute: [client.allowInsecureRequests] });
  const DPoP = client.getDPoPHandle(config, keys);
  const person = await signedInPerson();
  const verifier = client.randomPKCECodeVerifier();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: app.redirectUri,
    scope: "openid apps.read offline_access",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
  });
  const answer = await person.browser.get(url.pathname + url.search);
  const callback = new URL(answer.headers.get("location")!);
  const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier }, undefined, { DPoP });
  return { config, DPoP, person, tokens };
}

describe("DPoP-bound tokens", () => {
  it("binds a public app's tokens to its key: openid-client calls userinfo, /api/v1 and refreshes with proofs", async () => {
    const keys = await generateKeyPair("ES256", { extractable: true });
    const app = await newClient({ isFirstParty: true, scopes: ["openid", "apps.read", "offline_access"] });
    const { config, DPoP, person, tokens } = await codeFlow(baseUrl(), app, keys);
    expect(tokens.token_type.toLowerCase()).toBe("dpop");
    const jkt = (decodeJwt(tokens.access_token).cnf as { jkt: string }).jkt;
    expect(jkt).toBeTruthy();

    expect(await client.fetchUserInfo(config, tokens.access_token, person.user.id, { DPoP })).toMatchObject({ sub: person.user.id });
    const me = await client.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(`${baseUrl()}/api/v1/apps`),
      "GET",
      undefined,
      undefined,
      { DPoP },
    );
    expect(me.status).toBe(200);
    // As a plain bearer token it is refused, at userinfo and at the API.
    for (const path of ["/oauth/userinfo", "/api/v1/apps"]) {
      const asBearer = await fetch(`${baseUrl()}${path}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(asBearer.status, path).toBe(401);
      expect(asBearer.headers.get("www-authenticate")).toContain("DPoP");
    }

    // The refresh token is bound too: a proof with another key, or none, is refused; the right key refreshes.
    const stranger = client.getDPoPHandle(config, await generateKeyPair("ES256", { extractable: true }));
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP: stranger })).rejects.toMatchObject({
      error: "invalid_dpop_proof",
    });
    await expectOAuthError(
      await postForm("/oauth/token", { grant_type: "refresh_token", client_id: app.clientId, refresh_token: tokens.refresh_token! }),
      400,
      "invalid_dpop_proof",
    );
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP });
    expect((decodeJwt(refreshed.access_token).cnf as { jkt: string }).jkt).toBe(jkt);
  });

  it("refuses proofs that are replayed, stale, for another request or another token", async () => {
    const keys = await generateKeyPair("ES256", { extractable: true });
    const app = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: ["apps.read"] });
    const auth = basic(app.clientId, app.clientSecret!);
    const tokenRequest = (dpop: string) => postForm("/oauth/token", { grant_type: "client_credentials" }, { ...auth, dpop });
    const once = await proof(keys);
    const issued = await tokenRequest(once);
    expect(issued.status).toBe(200);
    const { access_token, token_type } = (await issued.json()) as { access_token: string; token_type: string };
    expect(token_type).toBe("DPoP");
    await expectOAuthError(await tokenRequest(once), 400, "invalid_dpop_proof");
    await expectOAuthError(await tokenRequest(await proof(keys, { htm: "GET" })), 400, "invalid_dpop_proof");
    await expectOAuthError(await tokenRequest(await proof(keys, { htu: `${baseUrl()}/oauth/revoke` })), 400, "invalid_dpop_proof");
    await expectOAuthError(await tokenRequest(await proof(keys, { iat: Math.floor(Date.now() / 1000) - 600 })), 400, "invalid_dpop_proof");
    await expectOAuthError(await tokenRequest("not-a-jwt"), 400, "invalid_dpop_proof");

    const api = (dpop: string) => fetch(`${baseUrl()}/api/v1/apps`, { headers: { authorization: `DPoP ${access_token}`, dpop } });
    expect((await api(await proof(keys, { htm: "GET", htu: `${baseUrl()}/api/v1/apps`, ath: ath(access_token) }))).status).toBe(403); // insufficient scope aside, the proof passed: a client token reads no person's apps
    expect((await api(await proof(keys, { htm: "GET", htu: `${baseUrl()}/api/v1/apps`, ath: ath("another token") }))).status).toBe(401);
    const otherKey = await generateKeyPair("ES256", { extractable: true });
    expect((await api(await proof(otherKey, { htm: "GET", htu: `${baseUrl()}/api/v1/apps`, ath: ath(access_token) }))).status).toBe(401);
  });

  it("requires a proof from an app that requires DPoP", async () => {
    const app = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [], requireDpop: true });
    await expectOAuthError(
      await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(app.clientId, app.clientSecret!)),
      400,
      "invalid_dpop_proof",
    );
  });

  it("is advertised in discovery", async () => {
    const metadata = (await (await fetch(`${baseUrl()}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.dpop_signing_alg_values_supported).toEqual(["RS256", "PS256", "ES256", "EdDSA"]);
  });
});

describe("DPoP nonces (DPOP_REQUIRE_NONCE=true)", () => {
  // A portal of its own (its own issuer: a proof names the URL it is sent to).
  let withNonces: TestServer;
  beforeAll(async () => {
    withNonces = await startTestServer({ env: { DPOP_REQUIRE_NONCE: "true" } });
  }, 150_000);
  afterAll(async () => {
    await withNonces?.stop();
  });

  it("answers a proof without the nonce with use_dpop_nonce and the nonce, which openid-client then sends", async () => {
    const created = await runPortalCli(
      ["client", "create", "--name", "Nonce app", "--grant", "client_credentials", "--scope", "", "--json"],
      { ...process.env, ...withNonces.env },
    );
    expect(created.status, created.stderr).toBe(0);
    const app = JSON.parse(created.stdout) as { client_id: string; client_secret: string };
    const keys = await generateKeyPair("ES256", { extractable: true });
    const withoutNonce = await fetch(`${withNonces.baseUrl}/oauth/token`, {
      method: "POST",
      body: "grant_type=client_credentials",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...basic(app.client_id, app.client_secret),
        dpop: await proof(keys, { htu: `${withNonces.baseUrl}/oauth/token` }),
      },
    });
    expect(withoutNonce.status).toBe(400);
    expect(((await withoutNonce.json()) as { error: string }).error).toBe("use_dpop_nonce");
    expect(withoutNonce.headers.get("dpop-nonce")).toBeTruthy();

    // openid-client retries with the nonce on its own.
    const config = await client.discovery(new URL(withNonces.baseUrl), app.client_id, {}, client.ClientSecretBasic(app.client_secret), {
      execute: [client.allowInsecureRequests],
    });
    const tokens = await client.clientCredentialsGrant(config, undefined, { DPoP: client.getDPoPHandle(config, keys) });
    expect(tokens.token_type.toLowerCase()).toBe("dpop");
  });
});
