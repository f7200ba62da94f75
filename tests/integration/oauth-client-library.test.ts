/** The whole flow through oauth4webapi, a strict certified client library. */
import * as oauth from "oauth4webapi";
import { describe, expect, it } from "vitest";
import { authorizationParams, authorizePath, baseUrl } from "../support/http-client";
import { newClient } from "../support/fixtures";
import { discover, insecure, signedInPerson } from "../support/oauth";

describe("oauth4webapi against the portal", () => {
  it("discovers the portal's metadata", async () => {
    const as = await discover();
    expect(as.issuer).toBe(baseUrl());
    expect(as.code_challenge_methods_supported).toContain("S256");
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
  });

  it.each([
    ["client_secret_basic", true, (secret: string) => oauth.ClientSecretBasic(secret)],
    ["client_secret_post", true, (secret: string) => oauth.ClientSecretPost(secret)],
    ["none", false, () => oauth.None()],
  ] as const)("runs code + PKCE, userinfo, refresh, introspection and revocation (%s)", async (method, isConfidential, auth) => {
    const as = await discover();
    const app = await newClient({
      isConfidential,
      isFirstParty: true,
      grantTypes: ["authorization_code", "refresh_token"],
      tokenEndpointAuthMethod: method,
    });
    const client: oauth.Client = { client_id: app.clientId };
    const clientAuth = auth(app.clientSecret ?? "");
    const person = await signedInPerson();

    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const params = authorizationParams(app, {
      scope: "openid profile email offline_access",
      state,
      nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    });
    const redirect = await person.browser.get(authorizePath(params));
    const callback = new URL(redirect.headers.get("location") ?? "");
    const callbackParams = oauth.validateAuthResponse(as, client, callback, state);

    const tokenResponse = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuth,
      callbackParams,
      app.redirectUri,
      verifier,
      insecure,
    );
    expect(tokenResponse.headers.get("cache-control")).toBe("no-store");
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenResponse, { expectedNonce: nonce, requireIdToken: true });
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.scope).toBe("openid profile email offline_access");
    expect(tokens.refresh_token).toBeTruthy();
    const idClaims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(idClaims).toMatchObject({ sub: person.user.id, aud: app.clientId, nonce, email: person.email, name: "Token Tester" });
    expect(typeof idClaims.auth_time).toBe("number");

    // RFC 9068, checked by the library against the published JWKS.
    const accessClaims = await oauth.validateJwtAccessToken(
      as,
      new Request(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } }),
      `${baseUrl()}/api/v1`,
      insecure,
    );
    expect(accessClaims).toMatchObject({ sub: person.user.id, client_id: app.clientId, scope: "openid profile email offline_access" });

    const userinfo = await oauth.processUserInfoResponse(
      as,
      client,
      person.user.id,
      await oauth.userInfoRequest(as, client, tokens.access_token, insecure),
    );
    expect(userinfo).toEqual({ sub: person.user.id, email: person.email, email_verified: false, name: "Token Tester" });

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, clientAuth, tokens.refresh_token!, {
        ...insecure,
        additionalParameters: { scope: "openid email" },
      }),
    );
    expect(refreshed.scope).toBe("openid email");
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    if (isConfidential) {
      const active = await oauth.processIntrospectionResponse(
        as,
        client,
        await oauth.introspectionRequest(as, client, clientAuth, refreshed.access_token, insecure),
      );
      expect(active).toMatchObject({ active: true, client_id: app.clientId, sub: person.user.id, scope: "openid email" });
    }

    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, clientAuth, refreshed.refresh_token!, insecure));
    // Revoking the refresh token ended its family's access tokens too.
    const afterRevocation = await oauth.userInfoRequest(as, client, refreshed.access_token, insecure);
    expect(afterRevocation.status).toBe(401);
    await expect(
      oauth.processRefreshTokenResponse(
        as,
        client,
        await oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshed.refresh_token!, insecure),
      ),
    ).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("gets a client credentials token, without a user or refresh token", async () => {
    const as = await discover();
    const app = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    const client: oauth.Client = { client_id: app.clientId };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(app.clientSecret!), {}, insecure);
    const tokens = await oauth.processClientCredentialsResponse(as, client, response);
    expect(tokens.refresh_token).toBeUndefined();
    const claims = await oauth.validateJwtAccessToken(
      as,
      new Request(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } }),
      `${baseUrl()}/api/v1`,
      insecure,
    );
    expect(claims).toMatchObject({ sub: app.clientId, client_id: app.clientId });
    expect(claims.auth_time).toBeUndefined();
  });
});
