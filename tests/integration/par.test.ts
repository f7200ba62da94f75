/** Pushed authorization requests (RFC 9126), driven by openid-client. */
import { describe, expect, it } from "vitest";
import * as client from "openid-client";
import { baseUrl } from "../support/http-client";
import { newClient } from "../support/fixtures";
import { basic, postForm, signedInPerson } from "../support/oauth";
import { expectOAuthError } from "../support/expect-oauth";

const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

describe("pushed authorization requests", () => {
  it("runs the code flow with openid-client's PAR, for an app that requires it", async () => {
    const app = await newClient({ isConfidential: true, isFirstParty: true, requirePushedRequests: true });
    const config = await client.discovery(new URL(baseUrl()), app.clientId, {}, client.ClientSecretBasic(app.clientSecret!), {
      execute: [client.allowInsecureRequests],
    });
    expect(config.serverMetadata().pushed_authorization_request_endpoint).toBe(`${baseUrl()}/oauth/par`);
    const person = await signedInPerson();
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = await client.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: app.redirectUri,
      scope: "openid",
      state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    // Only client_id and request_uri travel through the browser.
    expect([...url.searchParams.keys()].sort()).toEqual(["client_id", "request_uri"]);
    const answer = await person.browser.get(url.pathname + url.search);
    const callback = new URL(answer.headers.get("location")!);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
    expect(tokens.claims()?.sub).toBe(person.user.id);

    // The request_uri is used up, and an app that requires PAR cannot skip it.
    expect((await person.browser.get(url.pathname + url.search)).status).toBe(400);
    const plain = await person.browser.get(
      `/oauth/authorize?${new URLSearchParams({ response_type: "code", client_id: app.clientId, redirect_uri: app.redirectUri, scope: "openid", code_challenge: challenge, code_challenge_method: "S256" })}`,
    );
    const refused = new URL(plain.headers.get("location")!);
    expect(refused.searchParams.get("error")).toBe("invalid_request");
    expect(refused.searchParams.get("error_description")).toContain("PAR");
  });

  it("answers problems to the app, keeps a request_uri to its own app, and lets it expire", async () => {
    const app = await newClient({ isConfidential: true });
    const auth = basic(app.clientId, app.clientSecret!);
    const request = {
      response_type: "code",
      redirect_uri: app.redirectUri,
      scope: "openid",
      code_challenge: challenge,
      code_challenge_method: "S256",
    };
    await expectOAuthError(
      await postForm("/oauth/par", { ...request, redirect_uri: "https://evil.example/cb" }, auth),
      400,
      "invalid_request",
    );
    await expectOAuthError(await postForm("/oauth/par", { ...request, scope: "no.such.scope" }, auth), 400, "invalid_scope");
    await expectOAuthError(await postForm("/oauth/par", { ...request, request_uri: "urn:x" }, auth), 400, "invalid_request");
    await expectOAuthError(await postForm("/oauth/par", request, basic(app.clientId, "wrong")), 401, "invalid_client");

    const pushed = await postForm("/oauth/par", request, auth);
    expect(pushed.status).toBe(201);
    const { request_uri, expires_in } = (await pushed.json()) as { request_uri: string; expires_in: number };
    expect(request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(expires_in).toBeLessThanOrEqual(600);
    // Another app cannot use it.
    const other = await newClient({ isConfidential: true });
    const person = await signedInPerson();
    expect((await person.browser.get(`/oauth/authorize?${new URLSearchParams({ client_id: other.clientId, request_uri })}`)).status).toBe(
      400,
    );
    // Its own app still can, once.
    const own = await person.browser.get(`/oauth/authorize?${new URLSearchParams({ client_id: app.clientId, request_uri })}`);
    expect(own.status).toBe(302);
  });
});
