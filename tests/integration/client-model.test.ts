/**
 * The client model: token_endpoint_auth_method stored and enforced, including
 * private_key_jwt (RFC 7523) driven by openid-client, per-app token lifetimes
 * and id_token_signed_response_alg.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import * as client from "openid-client";
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import { baseUrl } from "../support/http-client";
import { newClient } from "../support/fixtures";
import { basic, clientCredentials, obtainCode, postForm, redeem, signedInPerson, type TokenSet } from "../support/oauth";
import { expectOAuthError } from "../support/expect-oauth";
import { findRefreshToken } from "@/lib/oauth/store/tokens";
import { ValidationError } from "@/lib/oauth/errors";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

async function keyPair(alg: "ES256" | "RS256" = "ES256") {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { privateKey, kid, jwks: JSON.stringify({ keys: [jwk] }) };
}

/** A client assertion as RFC 7523 §3 describes it, with whatever the test changes. */
async function assertion(
  clientId: string,
  key: Awaited<ReturnType<typeof keyPair>>,
  overrides: { aud?: string; jti?: string; expiresIn?: number; alg?: string } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: overrides.jti ?? randomUUID() })
    .setProtectedHeader({ alg: overrides.alg ?? "ES256", kid: key.kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(overrides.aud ?? baseUrl())
    .setIssuedAt(now)
    .setExpirationTime(now + (overrides.expiresIn ?? 60))
    .sign(key.privateKey);
}

function clientCredentialsWithAssertion(clientAssertion: string) {
  return postForm("/oauth/token", {
    grant_type: "client_credentials",
    client_assertion_type: JWT_BEARER,
    client_assertion: clientAssertion,
  });
}

describe("token_endpoint_auth_method", () => {
  it("takes a default app's secret either way, and a pinned app's only the way it was pinned, even with the right secret", async () => {
    const defaultApp = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    const basicApp = await newClient({
      isConfidential: true,
      grantTypes: ["client_credentials"],
      scopes: [],
      tokenEndpointAuthMethod: "client_secret_basic",
    });
    const postApp = await newClient({
      isConfidential: true,
      grantTypes: ["client_credentials"],
      scopes: [],
      tokenEndpointAuthMethod: "client_secret_post",
    });
    expect(defaultApp.client.tokenEndpointAuthMethod).toBe("client_secret");
    const grant = { grant_type: "client_credentials" };
    expect((await postForm("/oauth/token", grant, basic(defaultApp.clientId, defaultApp.clientSecret!))).status).toBe(200);
    expect(
      (await postForm("/oauth/token", { ...grant, client_id: defaultApp.clientId, client_secret: defaultApp.clientSecret! })).status,
    ).toBe(200);
    expect((await postForm("/oauth/token", grant, basic(basicApp.clientId, basicApp.clientSecret!))).status).toBe(200);
    await expectOAuthError(
      await postForm("/oauth/token", { ...grant, client_id: basicApp.clientId, client_secret: basicApp.clientSecret! }),
      401,
      "invalid_client",
    );
    expect((await postForm("/oauth/token", { ...grant, client_id: postApp.clientId, client_secret: postApp.clientSecret! })).status).toBe(
      200,
    );
    const viaBasic = await postForm("/oauth/token", grant, basic(postApp.clientId, postApp.clientSecret!));
    await expectOAuthError(viaBasic, 401, "invalid_client");
    expect(viaBasic.headers.get("www-authenticate")).toContain("Basic");
  });

  it("refuses a public app that sends a secret and a confidential app with method none, at registration", async () => {
    await expect(newClient({ isConfidential: false, tokenEndpointAuthMethod: "client_secret_basic" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(newClient({ isConfidential: true, tokenEndpointAuthMethod: "none" })).rejects.toBeInstanceOf(ValidationError);
    await expect(newClient({ isConfidential: true, tokenEndpointAuthMethod: "private_key_jwt" })).rejects.toThrow(/public keys/);
    const privateJwk = JSON.stringify({ keys: [await exportJWK((await generateKeyPair("ES256", { extractable: true })).privateKey)] });
    await expect(newClient({ isConfidential: true, tokenEndpointAuthMethod: "private_key_jwt", jwks: privateJwk })).rejects.toThrow(
      /private key/,
    );
    await expect(
      newClient({ isConfidential: true, tokenEndpointAuthMethod: "private_key_jwt", jwksUri: "http://keys.example/jwks.json" }),
    ).rejects.toThrow(/https/);
  });
});

describe("private_key_jwt (RFC 7523)", () => {
  it("runs code + PKCE, refresh and introspection with openid-client, and the app has no secret", async () => {
    const key = await keyPair();
    const app = await newClient({ isConfidential: true, isFirstParty: true, tokenEndpointAuthMethod: "private_key_jwt", jwks: key.jwks });
    expect(app.clientSecret).toBeUndefined();
    const config = await client.discovery(
      new URL(baseUrl()),
      app.clientId,
      {},
      client.PrivateKeyJwt({ key: key.privateKey, kid: key.kid }),
      { execute: [client.allowInsecureRequests] },
    );

    const person = await signedInPerson();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: app.redirectUri,
      scope: "openid profile",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
    });
    const answer = await person.browser.get(url.pathname + url.search);
    const callback = new URL(answer.headers.get("location")!);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()).toMatchObject({ sub: person.user.id, aud: app.clientId });
    expect(tokens.refresh_token).toBeTruthy();

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(await client.tokenIntrospection(config, refreshed.access_token)).toMatchObject({
      active: true,
      sub: person.user.id,
      client_id: app.clientId,
    });
  });

  it("accepts an assertion once, for its audience, within its lifetime, signed by the app's own key", async () => {
    const key = await keyPair();
    const app = await newClient({
      isConfidential: true,
      grantTypes: ["client_credentials"],
      scopes: [],
      tokenEndpointAuthMethod: "private_key_jwt",
      jwks: key.jwks,
    });
    const once = await assertion(app.clientId, key);
    expect((await clientCredentialsWithAssertion(once)).status).toBe(200);
    // Replayed.
    await expectOAuthError(await clientCredentialsWithAssertion(once), 401, "invalid_client");
    // The token endpoint's URL is an audience too; another server's is not.
    expect((await clientCredentialsWithAssertion(await assertion(app.clientId, key, { aud: `${baseUrl()}/oauth/token` }))).status).toBe(
      200,
    );
    await expectOAuthError(
      await clientCredentialsWithAssertion(await assertion(app.clientId, key, { aud: "https://other.example" })),
      401,
      "invalid_client",
    );
    // Too long-lived, expired, or signed by another key.
    await expectOAuthError(
      await clientCredentialsWithAssertion(await assertion(app.clientId, key, { expiresIn: 3600 })),
      401,
      "invalid_client",
    );
    await expectOAuthError(
      await clientCredentialsWithAssertion(await assertion(app.clientId, key, { expiresIn: -120 })),
      401,
      "invalid_client",
    );
    const stranger = await keyPair();
    await expectOAuthError(
      await clientCredentialsWithAssertion(await assertion(app.clientId, { ...stranger, kid: key.kid })),
      401,
      "invalid_client",
    );
    // A secret-based request for a key-based app.
    await expectOAuthError(
      await postForm("/oauth/token", { grant_type: "client_credentials", client_id: app.clientId, client_secret: "x" }),
      401,
      "invalid_client",
    );
  });

  it("refuses an assertion for a secret-based app, and an assertion whose client_id disagrees", async () => {
    const key = await keyPair();
    const secretApp = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    await expectOAuthError(await clientCredentialsWithAssertion(await assertion(secretApp.clientId, key)), 401, "invalid_client");
    const keyApp = await newClient({
      isConfidential: true,
      grantTypes: ["client_credentials"],
      scopes: [],
      tokenEndpointAuthMethod: "private_key_jwt",
      jwks: key.jwks,
    });
    const mismatch = await postForm("/oauth/token", {
      grant_type: "client_credentials",
      client_id: secretApp.clientId,
      client_assertion_type: JWT_BEARER,
      client_assertion: await assertion(keyApp.clientId, key),
    });
    await expectOAuthError(mismatch, 401, "invalid_client");
  });

  describe("with the keys at a jwks_uri", () => {
    let keyServer: Server;
    afterAll(() => keyServer?.close());

    it("fetches the app's keys from its jwks_uri", async () => {
      const key = await keyPair("RS256");
      keyServer = createServer((_request, response) => response.writeHead(200, { "content-type": "application/json" }).end(key.jwks));
      await new Promise<void>((resolve) => keyServer.listen(0, "127.0.0.1", resolve));
      const jwksUri = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/jwks.json`;
      const app = await newClient({
        isConfidential: true,
        grantTypes: ["client_credentials"],
        scopes: [],
        tokenEndpointAuthMethod: "private_key_jwt",
        jwksUri,
      });
      expect((await clientCredentialsWithAssertion(await assertion(app.clientId, key, { alg: "RS256" }))).status).toBe(200);
    });
  });
});

describe("per-app lifetimes and ID token algorithm", () => {
  it("uses the app's access- and refresh-token lifetimes and signs its ID tokens with its algorithm", async () => {
    const app = await newClient({ isFirstParty: true, accessTokenTtl: 120, refreshTokenTtl: 600, idTokenSignedResponseAlg: "ES256" });
    const person = await signedInPerson();
    const { code, verifier } = await obtainCode(person.browser, app, { scope: "openid" });
    const credentials = clientCredentials(app);
    const tokens = (await (await redeem(app, code, verifier, credentials.body, credentials.headers)).json()) as TokenSet;
    expect(tokens.expires_in).toBe(120);
    const access = decodeJwt(tokens.access_token);
    expect(access.exp! - access.iat!).toBe(120);
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe("ES256");
    const stored = await findRefreshToken(tokens.refresh_token!);
    const lifetime = (stored!.expiresAt.getTime() - stored!.createdAt.getTime()) / 1000;
    expect(lifetime).toBeGreaterThan(595);
    expect(lifetime).toBeLessThanOrEqual(601);
  });
});

describe("CORS for browser apps", () => {
  it("answers an allowed origin's preflights and requests at the five endpoints, and nothing else", async () => {
    const origin = `https://spa-${randomUUID()}.example`;
    const spa = await newClient({ allowedOrigins: [origin] });
    const preflight = (path: string, from: string) =>
      fetch(`${baseUrl()}${path}`, {
        method: "OPTIONS",
        headers: { origin: from, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
    for (const path of [
      "/oauth/token",
      "/oauth/revoke",
      "/oauth/userinfo",
      "/.well-known/jwks.json",
      "/.well-known/openid-configuration",
    ]) {
      const allowed = await preflight(path, origin);
      expect(allowed.status, path).toBe(204);
      expect(allowed.headers.get("access-control-allow-origin")).toBe(origin);
      expect(allowed.headers.get("access-control-allow-headers")).toContain("Content-Type");
      const refused = await preflight(path, "https://evil.example");
      expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    }
    // Answers carry it too, errors included, for the app that lists the origin only: not for another app's
    // request (its page could otherwise read what the portal tells that app), nor one that names no app.
    const tokenFrom = (clientId?: string) =>
      fetch(`${baseUrl()}/oauth/token`, {
        method: "POST",
        headers: { origin, "content-type": "application/x-www-form-urlencoded" },
        body: `grant_type=authorization_code&code=x${clientId ? `&client_id=${clientId}` : ""}`,
      });
    const token = await tokenFrom(spa.clientId);
    expect(token.status).toBe(400);
    expect(token.headers.get("access-control-allow-origin")).toBe(origin);
    const other = await newClient();
    expect((await tokenFrom(other.clientId)).headers.get("access-control-allow-origin")).toBeNull();
    expect((await tokenFrom()).headers.get("access-control-allow-origin")).toBeNull();
    const jwks = await fetch(`${baseUrl()}/.well-known/jwks.json`, { headers: { origin: "https://evil.example" } });
    expect(jwks.headers.get("access-control-allow-origin")).toBeNull();
    expect(jwks.headers.get("vary")).toContain("Origin");
    const introspection = await fetch(`${baseUrl()}/oauth/introspect`, { method: "OPTIONS", headers: { origin } });
    expect(introspection.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses origins with a path or plain http away from loopback, at registration", async () => {
    for (const origin of ["https://app.example/", "https://app.example/path", "http://app.example", "app.example"]) {
      await expect(newClient({ allowedOrigins: [origin] })).rejects.toBeInstanceOf(ValidationError);
    }
  });
});
