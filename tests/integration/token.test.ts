/** POST /oauth/token over HTTP: every error branch and race of RFC 6749 §5.2, RFC 7636 and RFC 9700. */
import { describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { db } from "@/lib/db";
import { issueAuthorizationCode } from "@/lib/oauth/store/authorizations";
import { findAuthorizationClient } from "@/lib/oauth/store/authorizations";
import { baseUrl } from "../support/http-client";
import { newApi, newClient, newUser, pkcePair } from "../support/fixtures";
import { basic, obtainCode, postForm, redeem, signedInPerson, userinfo, userTokens, type TokenSet } from "../support/oauth";
import { expectOAuthError } from "../support/expect-oauth";
import { PORTAL_API_ID } from "@/lib/oauth/apis";
import { giveClientGrant } from "@/lib/oauth/client-grants";

/** A code written straight into the store, for cases the authorization endpoint would never produce. */
async function storedCode(
  app: { clientId: string; redirectUri: string },
  options: { challenge?: string; lifetimeSeconds?: number; authTime?: number } = {},
) {
  const { user } = await newUser();
  const client = (await findAuthorizationClient(app.clientId))!;
  return issueAuthorizationCode(
    {
      request: {
        client,
        redirectUri: app.redirectUri,
        redirectUriSent: true,
        scopes: ["openid"],
        codeChallenge: options.challenge,
        codeChallengeMethod: options.challenge ? "S256" : undefined,
        api: { id: PORTAL_API_ID, identifier: `${baseUrl()}/api/v1` },
        prompt: [],
      },
      userId: user.id,
      authTime: options.authTime ?? Math.floor(Date.now() / 1000),
      event: { type: "authorization.approved" },
    },
    options.lifetimeSeconds ?? 300,
  );
}

describe("the token endpoint itself", () => {
  it("answers only POST", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      expect((await fetch(`${baseUrl()}/oauth/token`, { method, redirect: "manual" })).status).toBe(405);
    }
  });

  it("never redirects, not even for a trailing slash", async () => {
    const response = await postForm("/oauth/token/", { grant_type: "client_credentials" });
    // Served by the endpoint itself: no client credentials, so invalid_client.
    await expectOAuthError(response, 401, "invalid_client");
  });

  it("refuses a body that is neither a form nor JSON", async () => {
    const response = await fetch(`${baseUrl()}/oauth/token`, {
      method: "POST",
      body: "grant_type=client_credentials",
      headers: { "content-type": "text/plain" },
    });
    await expectOAuthError(response, 400, "invalid_request");
  });

  it("accepts JSON bodies", async () => {
    const app = await newClient({
      isConfidential: true,
      grantTypes: ["client_credentials"],
      scopes: [],
      tokenEndpointAuthMethod: "client_secret_post",
    });
    const response = await fetch(`${baseUrl()}/oauth/token`, {
      method: "POST",
      body: JSON.stringify({ grant_type: "client_credentials", client_id: app.clientId, client_secret: app.clientSecret }),
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("pragma")).toBe("no-cache");
    const body = (await response.json()) as TokenSet;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "" });
    expect(body.refresh_token).toBeUndefined();
  });

  it("requires grant_type and knows only its own grant types", async () => {
    const app = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    await expectOAuthError(await postForm("/oauth/token", {}, basic(app.clientId, app.clientSecret!)), 400, "invalid_request");
    for (const grant_type of ["password", "implicit", "urn:ietf:params:oauth:grant-type:jwt-bearer", "constructor"]) {
      await expectOAuthError(
        await postForm("/oauth/token", { grant_type }, basic(app.clientId, app.clientSecret!)),
        400,
        "unsupported_grant_type",
      );
    }
  });

  it("refuses a duplicated parameter", async () => {
    const app = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    const response = await fetch(`${baseUrl()}/oauth/token`, {
      method: "POST",
      body: "grant_type=client_credentials&grant_type=client_credentials",
      headers: { "content-type": "application/x-www-form-urlencoded", ...basic(app.clientId, app.clientSecret!) },
    });
    await expectOAuthError(response, 400, "invalid_request");
  });
});

describe("client authentication", () => {
  const clientCredentials = { grant_type: "client_credentials" };

  it("401 invalid_client with WWW-Authenticate: Basic for a wrong Basic secret or an unknown client", async () => {
    const app = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    for (const headers of [basic(app.clientId, "0".repeat(64)), basic("no-such-client", app.clientSecret!)]) {
      const response = await postForm("/oauth/token", clientCredentials, headers);
      await expectOAuthError(response, 401, "invalid_client");
      expect(response.headers.get("www-authenticate")).toMatch(/^Basic /);
    }
  });

  it("401 invalid_client for a wrong client_secret_post, a confidential client without a secret, a public client with one", async () => {
    const confidential = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    const publicApp = await newClient();
    const attempts: Record<string, string>[] = [
      { client_id: confidential.clientId, client_secret: "wrong" },
      { client_id: confidential.clientId },
      { client_id: publicApp.clientId, client_secret: "anything" },
      { client_id: "no-such-client" },
    ];
    for (const form of attempts) {
      const response = await postForm("/oauth/token", { ...clientCredentials, ...form });
      await expectOAuthError(response, 401, "invalid_client");
      expect(response.headers.get("www-authenticate")).toBeNull();
    }
  });

  it("refuses two authentication methods in one request", async () => {
    const app = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    const response = await postForm(
      "/oauth/token",
      { ...clientCredentials, client_secret: app.clientSecret! },
      basic(app.clientId, app.clientSecret!),
    );
    await expectOAuthError(response, 400, "invalid_request");
  });

  it("refuses a disabled client", async () => {
    const app = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [], disabled: true });
    await expectOAuthError(
      await postForm("/oauth/token", clientCredentials, basic(app.clientId, app.clientSecret!)),
      401,
      "invalid_client",
    );
  });
});

describe("grant_type=authorization_code", () => {
  it("issues tokens once: a second use is invalid_grant and revokes what the first issued", async () => {
    const { app, tokens } = await userTokens();
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    const person = await signedInPerson();
    const { code, verifier } = await obtainCode(person.browser, app);
    const first = (await (await redeem(app, code, verifier)).json()) as TokenSet;
    await expectOAuthError(await redeem(app, code, verifier), 400, "invalid_grant");

    expect((await userinfo(first.access_token)).status).toBe(401);
    await expectOAuthError(
      await postForm("/oauth/token", { grant_type: "refresh_token", client_id: app.clientId, refresh_token: first.refresh_token! }),
      400,
      "invalid_grant",
    );
    // Other codes' tokens are untouched.
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    expect(await db().auditEvent.count({ where: { type: "token.code_reuse_detected", clientId: app.clientId } })).toBe(1);
  });

  it("lets exactly one of several simultaneous redemptions succeed", async () => {
    const app = await newClient({ isFirstParty: true });
    const person = await signedInPerson();
    const { code, verifier } = await obtainCode(person.browser, app);
    const responses = await Promise.all(Array.from({ length: 20 }, () => redeem(app, code, verifier)));
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 400)).toHaveLength(19);
  });

  it("invalid_grant for a wrong, missing or malformed verifier, and the failed try uses the code up", async () => {
    const app = await newClient({ isFirstParty: true });
    const person = await signedInPerson();
    for (const badVerifier of [pkcePair().verifier, "", "too-short"]) {
      const { code, verifier } = await obtainCode(person.browser, app);
      await expectOAuthError(await redeem(app, code, badVerifier), 400, "invalid_grant");
      await expectOAuthError(await redeem(app, code, verifier), 400, "invalid_grant");
    }
  });

  it("invalid_grant for a verifier sent for a code issued without a challenge (PKCE downgrade)", async () => {
    const app = await newClient({ isConfidential: true, isFirstParty: true, tokenEndpointAuthMethod: "client_secret_post" });
    const code = await storedCode(app);
    const response = await redeem(app, code, pkcePair().verifier, { client_secret: app.clientSecret! });
    await expectOAuthError(response, 400, "invalid_grant");
  });

  it("invalid_grant for another client's code, another redirect_uri, a missing redirect_uri, or an unknown code", async () => {
    const app = await newClient({ isFirstParty: true });
    const other = await newClient({ isFirstParty: true, redirectUris: [app.redirectUri] });
    const person = await signedInPerson();

    let issued = await obtainCode(person.browser, app);
    await expectOAuthError(await redeem(other, issued.code, issued.verifier), 400, "invalid_grant");
    issued = await obtainCode(person.browser, app);
    await expectOAuthError(
      await redeem(app, issued.code, issued.verifier, { redirect_uri: `${app.redirectUri}/other` }),
      400,
      "invalid_grant",
    );
    issued = await obtainCode(person.browser, app);
    await expectOAuthError(await redeem(app, issued.code, issued.verifier, { redirect_uri: "" }), 400, "invalid_grant");
    await expectOAuthError(await redeem(app, "no-such-code", issued.verifier), 400, "invalid_grant");
  });

  it("lets no other client burn a code: it learns nothing, and the right client still redeems it", async () => {
    const app = await newClient({ isFirstParty: true });
    const stranger = await newClient({ isFirstParty: true, redirectUris: [app.redirectUri] });
    const person = await signedInPerson();
    const { code, verifier } = await obtainCode(person.browser, app);
    // The stranger has the code and even the verifier; a public client needs only its client_id.
    for (let i = 0; i < 3; i++) await expectOAuthError(await redeem(stranger, code, verifier), 400, "invalid_grant");
    const redeemed = await redeem(app, code, verifier);
    expect(redeemed.status).toBe(200);
    const tokens = (await redeemed.json()) as TokenSet;

    // After the redemption, the stranger presenting it again revokes nothing of the owner's.
    await expectOAuthError(await redeem(stranger, code, verifier), 400, "invalid_grant");
    expect((await userinfo(tokens.access_token)).status).toBe(200);
    expect(await db().auditEvent.count({ where: { type: "token.code_reuse_detected", clientId: app.clientId } })).toBe(0);
  });

  it("consumes nothing when it cannot answer with tokens: a refusal after the checks rolls back", async () => {
    const app = await newClient({ isFirstParty: true });
    const person = await signedInPerson();
    const { code, verifier } = await obtainCode(person.browser, app);
    await db().user.update({ where: { id: person.user.id }, data: { disabledAt: new Date() } });
    await expectOAuthError(await redeem(app, code, verifier), 400, "invalid_grant");
    await db().user.update({ where: { id: person.user.id }, data: { disabledAt: null } });
    // Nothing was committed by the refused request: the code is still good.
    expect((await redeem(app, code, verifier)).status).toBe(200);
  });

  it("invalid_grant for an expired code", async () => {
    const app = await newClient();
    const { verifier, challenge } = pkcePair();
    const code = await storedCode(app, { challenge, lifetimeSeconds: -1 });
    await expectOAuthError(await redeem(app, code, verifier), 400, "invalid_grant");
  });

  it("invalid_request without a code; unauthorized_client for a client not allowed the grant", async () => {
    const app = await newClient({ isFirstParty: true });
    await expectOAuthError(
      await postForm("/oauth/token", { grant_type: "authorization_code", client_id: app.clientId }),
      400,
      "invalid_request",
    );
    const machine = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    await expectOAuthError(
      await postForm("/oauth/token", { grant_type: "authorization_code", code: "x" }, basic(machine.clientId, machine.clientSecret!)),
      400,
      "unauthorized_client",
    );
  });

  it("issues no refresh token to a client not allowed the refresh_token grant, and no ID token without openid", async () => {
    const { tokens } = await userTokens({ grantTypes: ["authorization_code"] }, { scope: "profile" });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
    expect(tokens.scope).toBe("profile");
  });
});

describe("grant_type=refresh_token", () => {
  const refresh = (app: { clientId: string }, refresh_token: string, extra: Record<string, string> = {}) =>
    postForm("/oauth/token", { grant_type: "refresh_token", client_id: app.clientId, refresh_token, ...extra });

  it("rotates: the new token works, the old one is refused, and reusing it revokes the whole family", async () => {
    const { app, tokens } = await userTokens();
    const rotated = (await (await refresh(app, tokens.refresh_token!)).json()) as TokenSet;
    expect(rotated.refresh_token).toBeTruthy();
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);

    await expectOAuthError(await refresh(app, tokens.refresh_token!), 400, "invalid_grant");
    await expectOAuthError(await refresh(app, rotated.refresh_token!), 400, "invalid_grant");
    expect((await userinfo(rotated.access_token)).status).toBe(401);
    expect(await db().auditEvent.count({ where: { type: "token.refresh_reuse_detected", clientId: app.clientId } })).toBe(1);
  });

  it("keeps the session's sid in the ID tokens of refreshes", async () => {
    const { app, tokens } = await userTokens({}, { scope: "openid offline_access" });
    const sid = decodeJwt(tokens.id_token!).sid;
    expect(sid).toBeTruthy();
    const refreshed = (await (await refresh(app, tokens.refresh_token!)).json()) as TokenSet;
    expect(decodeJwt(refreshed.id_token!).sid).toBe(sid);
  });

  describe("with a grace window (lost responses)", () => {
    it("answers the just-rotated token again with the same tokens, and the successor keeps working", async () => {
      const { app, tokens } = await userTokens({ refreshGraceSeconds: 60 });
      const first = (await (await refresh(app, tokens.refresh_token!)).json()) as TokenSet;
      const again = await refresh(app, tokens.refresh_token!);
      expect(again.status).toBe(200);
      const repeated = (await again.json()) as TokenSet;
      expect(repeated.access_token).toBe(first.access_token);
      expect(repeated.refresh_token).toBe(first.refresh_token);
      expect((await refresh(app, first.refresh_token!)).status).toBe(200);
      expect(await db().auditEvent.count({ where: { type: "token.refresh_reuse_detected", clientId: app.clientId } })).toBe(0);
    });

    it("gives simultaneous refreshes with one token the same tokens", async () => {
      const { app, tokens } = await userTokens({ refreshGraceSeconds: 30 });
      const answers = await Promise.all(Array.from({ length: 5 }, () => refresh(app, tokens.refresh_token!)));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
      const refreshTokens = new Set(await Promise.all(answers.map(async (answer) => ((await answer.json()) as TokenSet).refresh_token)));
      expect(refreshTokens.size).toBe(1);
    });

    it("takes a use after the window for reuse, and revokes the family", async () => {
      const { app, tokens } = await userTokens({ refreshGraceSeconds: 30 });
      const first = (await (await refresh(app, tokens.refresh_token!)).json()) as TokenSet;
      await db().refreshGrace.updateMany({ where: { expiresAt: { gt: new Date() } }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await expectOAuthError(await refresh(app, tokens.refresh_token!), 400, "invalid_grant");
      await expectOAuthError(await refresh(app, first.refresh_token!), 400, "invalid_grant");
      expect(await db().auditEvent.count({ where: { type: "token.refresh_reuse_detected", clientId: app.clientId } })).toBe(1);
    });
  });

  it("lets exactly one of several simultaneous refreshes succeed", async () => {
    const { app, tokens } = await userTokens();
    const responses = await Promise.all(Array.from({ length: 20 }, () => refresh(app, tokens.refresh_token!)));
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 400)).toHaveLength(19);
  });

  it("narrows scope but never widens it, and a refused widening rotates nothing", async () => {
    const { app, tokens } = await userTokens({}, { scope: "openid profile" });
    await expectOAuthError(await refresh(app, tokens.refresh_token!, { scope: "openid profile email" }), 400, "invalid_scope");
    const narrowed = (await (await refresh(app, tokens.refresh_token!, { scope: "openid" })).json()) as TokenSet;
    expect(narrowed.scope).toBe("openid");
    // The new refresh token keeps the original scope (RFC 6749 §6).
    const again = (await (await refresh(app, narrowed.refresh_token!)).json()) as TokenSet;
    expect(again.scope).toBe("openid profile");
  });

  it("rotates nothing when it cannot answer with tokens, so the client's next refresh is not taken for reuse", async () => {
    const { app, person, tokens } = await userTokens();
    await db().user.update({ where: { id: person.user.id }, data: { disabledAt: new Date() } });
    await expectOAuthError(await refresh(app, tokens.refresh_token!), 400, "invalid_grant");
    await db().user.update({ where: { id: person.user.id }, data: { disabledAt: null } });
    expect((await refresh(app, tokens.refresh_token!)).status).toBe(200);
    expect(await db().auditEvent.count({ where: { type: "token.refresh_reuse_detected", clientId: app.clientId } })).toBe(0);
  });

  it("keeps an absolute lifetime from the sign-in, however often the family is used", async () => {
    const app = await newClient({ isFirstParty: true });
    const { verifier, challenge } = pkcePair();
    const ninetyDays = 90 * 24 * 3600;
    // Signed in 90 days and a minute ago: the family's absolute lifetime is over.
    const old = await storedCode(app, { challenge, authTime: Math.floor(Date.now() / 1000) - ninetyDays - 60 });
    const oldTokens = (await (await redeem(app, old, verifier)).json()) as TokenSet;
    await expectOAuthError(await refresh(app, oldTokens.refresh_token!), 400, "invalid_grant");

    // Signed in 89 days ago: the refresh token ends in a day, not in 30, and rotation does not extend it.
    const recent = await storedCode(app, { challenge, authTime: Math.floor(Date.now() / 1000) - ninetyDays + 24 * 3600 });
    const recentTokens = (await (await redeem(app, recent, verifier)).json()) as TokenSet;
    const rotated = (await (await refresh(app, recentTokens.refresh_token!)).json()) as TokenSet;
    const stored = await db().refreshToken.findFirst({
      where: { clientId: app.clientId, rotatedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    });
    expect(rotated.refresh_token).toBeTruthy();
    expect(Math.abs(stored!.expiresAt.getTime() - (Date.now() + 24 * 3600 * 1000))).toBeLessThan(120_000);
  });

  it("records token.issued and token.refreshed in the audit log (written in batches after the commit)", async () => {
    const { app, tokens } = await userTokens();
    expect((await refresh(app, tokens.refresh_token!)).status).toBe(200);
    for (const type of ["token.issued", "token.refreshed"]) {
      await expect.poll(() => db().auditEvent.count({ where: { type, clientId: app.clientId } }), { timeout: 2000 }).toBe(1);
    }
  });

  it("treats another client's refresh token as invalid", async () => {
    const { tokens } = await userTokens();
    const other = await newClient({ isFirstParty: true });
    await expectOAuthError(await refresh(other, tokens.refresh_token!), 400, "invalid_grant");
  });

  it("unauthorized_client for a client not allowed the refresh_token grant", async () => {
    const { app, tokens } = await userTokens({ grantTypes: ["authorization_code"] });
    await expectOAuthError(await refresh(app, tokens.refresh_token ?? "anything"), 400, "unauthorized_client");
  });
});

describe("grant_type=client_credentials", () => {
  it("issues a token for the client with the scopes it asks for, within those its client grant holds and the API defines", async () => {
    const apiOwner = await newUser();
    const api = await newApi({
      ownerId: apiOwner.user.id,
      scopes: [
        { name: "reports.read", description: "Read reports" },
        { name: "reports.mine", description: "Read your own reports", tokenKind: "user" },
      ],
    });
    const app = await newClient({
      isConfidential: true,
      grantTypes: ["client_credentials"],
      scopes: ["reports.mine", "openid", "apps.read"],
    });
    // A scope that needs a person cannot be granted to a machine.
    await expect(giveClientGrant(api, app.clientId, ["reports.read", "reports.mine"], apiOwner.user)).rejects.toThrow(
      "offers no scope reports.mine for client credentials",
    );
    await giveClientGrant(api, app.clientId, ["reports.read"], apiOwner.user);
    const auth = basic(app.clientId, app.clientSecret!);
    const response = await postForm(
      "/oauth/token",
      { grant_type: "client_credentials", scope: "reports.read", audience: api.identifier },
      auth,
    );
    const ok = (await response.json()) as TokenSet;
    expect(ok.scope).toBe("reports.read");
    expect(decodeJwt(ok.access_token)).toMatchObject({ aud: api.identifier, sub: app.clientId, scope: "reports.read" });
    // Without a scope: every one the app may use with this API, and nothing of another API.
    const all = (await (
      await postForm("/oauth/token", { grant_type: "client_credentials", resource: api.identifier }, auth)
    ).json()) as TokenSet;
    expect(all.scope).toBe("reports.read");
    for (const scope of ["reports.write", "apps.read", "reports.mine", "openid"]) {
      // Undefined by the API, another API's, or needing a person.
      await expectOAuthError(
        await postForm("/oauth/token", { grant_type: "client_credentials", scope, audience: api.identifier }, auth),
        400,
        "invalid_scope",
      );
    }
    await expectOAuthError(
      await postForm("/oauth/token", { grant_type: "client_credentials", audience: "https://other.example" }, auth),
      400,
      "invalid_target",
    );
  });

  it("unauthorized_client for a public client or one not allowed the grant", async () => {
    const publicApp = await newClient();
    await expectOAuthError(
      await postForm("/oauth/token", { grant_type: "client_credentials", client_id: publicApp.clientId }),
      400,
      "unauthorized_client",
    );
    const confidential = await newClient({ isConfidential: true });
    await expectOAuthError(
      await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(confidential.clientId, confidential.clientSecret!)),
      400,
      "unauthorized_client",
    );
  });
});
