/** POST /oauth/revoke (RFC 7009), POST /oauth/introspect (RFC 7662) and /oauth/userinfo. */
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { baseUrl } from "../support/http-client";
import { newClient } from "../support/fixtures";
import { basic, postForm, signedByPortal, userinfo, userTokens } from "../support/oauth";
import { expectOAuthError } from "../support/expect-oauth";

/** A confidential app with a person's tokens, ready to revoke and introspect. */
async function confidentialTokens(scope = "openid profile") {
  const result = await userTokens({ isConfidential: true }, { scope });
  return { ...result, auth: basic(result.app.clientId, result.app.clientSecret!) };
}

const introspect = (token: string, auth: Record<string, string>, extra: Record<string, string> = {}) =>
  postForm("/oauth/introspect", { token, ...extra }, auth);
const revoke = (token: string, auth: Record<string, string>, extra: Record<string, string> = {}) =>
  postForm("/oauth/revoke", { token, ...extra }, auth);

async function activeOf(response: Response): Promise<boolean> {
  expect(response.status).toBe(200);
  return ((await response.json()) as { active: boolean }).active;
}

describe("POST /oauth/revoke", () => {
  it("answers only POST and needs the client to authenticate", async () => {
    expect((await fetch(`${baseUrl()}/oauth/revoke`)).status).toBe(405);
    await expectOAuthError(await postForm("/oauth/revoke", { token: "x" }), 401, "invalid_client");
  });

  it("invalid_request without a token; 200 for an unknown one", async () => {
    const { auth } = await confidentialTokens();
    await expectOAuthError(await postForm("/oauth/revoke", {}, auth), 400, "invalid_request");
    const unknown = await revoke("not-a-token", auth);
    expect(unknown.status).toBe(200);
    expect(unknown.headers.get("cache-control")).toBe("no-store");
    // JSON, not an empty body: simple-oauth2 and others refuse anything else.
    expect(unknown.headers.get("content-type")).toBe("application/json");
    expect(await unknown.json()).toEqual({});
  });

  it("revokes an access token at once, whatever the hint says", async () => {
    const { tokens, auth, app } = await confidentialTokens();
    expect((await revoke(tokens.access_token, auth, { token_type_hint: "refresh_token" })).status).toBe(200);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    expect(await activeOf(await introspect(tokens.access_token, auth))).toBe(false);
    // The refresh token is still good: only the one access token was revoked.
    expect(await activeOf(await introspect(tokens.refresh_token!, auth))).toBe(true);
    // The event is written with the batched queue, within moments.
    await expect.poll(() => db().auditEvent.count({ where: { type: "token.revoked", clientId: app.clientId } }), { timeout: 2000 }).toBe(1);
  });

  it("revokes a refresh token's family and the access tokens issued from it", async () => {
    const { tokens, auth, app } = await confidentialTokens();
    expect((await revoke(tokens.refresh_token!, auth, { token_type_hint: "access_token" })).status).toBe(200);
    expect(await activeOf(await introspect(tokens.refresh_token!, auth))).toBe(false);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
    await expectOAuthError(
      await postForm("/oauth/token", { grant_type: "refresh_token", refresh_token: tokens.refresh_token! }, auth),
      400,
      "invalid_grant",
    );
    expect(await db().auditEvent.count({ where: { type: "token.revoked", clientId: app.clientId } })).toBe(1);
  });

  it("does nothing to another client's tokens, and says nothing about them", async () => {
    const victim = await confidentialTokens();
    const attacker = await newClient({ isConfidential: true });
    const attackerAuth = basic(attacker.clientId, attacker.clientSecret!);
    expect((await revoke(victim.tokens.access_token, attackerAuth)).status).toBe(200);
    expect((await revoke(victim.tokens.refresh_token!, attackerAuth)).status).toBe(200);
    expect((await userinfo(victim.tokens.access_token)).status).toBe(200);
    expect(await activeOf(await introspect(victim.tokens.refresh_token!, victim.auth))).toBe(true);
  });

  it("lets a public client revoke its own tokens with its client_id", async () => {
    const { app, tokens } = await userTokens();
    expect((await postForm("/oauth/revoke", { token: tokens.refresh_token!, client_id: app.clientId })).status).toBe(200);
    expect((await userinfo(tokens.access_token)).status).toBe(401);
  });
});

describe("POST /oauth/introspect", () => {
  it("needs an authenticated confidential client", async () => {
    const { app, tokens } = await userTokens();
    await expectOAuthError(
      await postForm("/oauth/introspect", { token: tokens.access_token, client_id: app.clientId }),
      401,
      "invalid_client",
    );
    await expectOAuthError(await postForm("/oauth/introspect", { token: tokens.access_token }), 401, "invalid_client");
  });

  it("describes an active access token and an active refresh token", async () => {
    const { tokens, auth, app, person } = await confidentialTokens();
    const access = (await (await introspect(tokens.access_token, auth)).json()) as Record<string, unknown>;
    expect(access).toMatchObject({
      active: true,
      token_type: "Bearer",
      client_id: app.clientId,
      sub: person.user.id,
      scope: "openid profile",
      iss: baseUrl(),
      // The portal's API, and userinfo since the token carries openid.
      aud: [`${baseUrl()}/api/v1`, `${baseUrl()}/oauth/userinfo`],
    });
    expect(access.exp).toBeGreaterThan(Date.now() / 1000);
    const refresh = (await (await introspect(tokens.refresh_token!, auth)).json()) as Record<string, unknown>;
    expect(refresh).toMatchObject({ active: true, token_type: "refresh_token", client_id: app.clientId, sub: person.user.id });
  });

  it("answers only active:false for expired, malformed, foreign, rotated or forged tokens", async () => {
    const { tokens, auth, app, person } = await confidentialTokens();
    const other = await confidentialTokens();
    const expired = await signedByPortal(
      { sub: person.user.id, client_id: app.clientId, scope: "openid", gid: "g" },
      { expiresAt: Math.floor(Date.now() / 1000) - 10 },
    );
    const idTokenShaped = await signedByPortal({ sub: person.user.id, client_id: app.clientId, scope: "openid", gid: "g" }, { typ: "JWT" });
    const tampered = `${tokens.access_token.slice(0, -4)}AAAA`;

    const rotated = tokens.refresh_token!;
    expect((await postForm("/oauth/token", { grant_type: "refresh_token", refresh_token: rotated }, auth)).status).toBe(200);

    for (const token of [
      expired,
      idTokenShaped,
      tampered,
      "garbage",
      "a.b.c",
      other.tokens.access_token,
      other.tokens.refresh_token!,
      rotated,
    ]) {
      const response = await introspect(token, auth);
      expect(await response.json()).toEqual({ active: false });
    }
  });
});

describe("/oauth/userinfo", () => {
  it("401 with a Bearer challenge and no error without a token", async () => {
    const response = await fetch(`${baseUrl()}/oauth/userinfo`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(`Bearer realm="${baseUrl()}"`);
  });

  it("401 invalid_token for garbage, an ID token, or a client credentials token", async () => {
    const { tokens } = await confidentialTokens();
    const machine = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    const cc = (await (
      await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(machine.clientId, machine.clientSecret!))
    ).json()) as { access_token: string };
    for (const token of ["garbage", tokens.id_token!, cc.access_token]) {
      const response = await userinfo(token);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
  });

  it("403 insufficient_scope without openid", async () => {
    const { tokens } = await userTokens({}, { scope: "profile" });
    const response = await userinfo(tokens.access_token);
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(response.headers.get("www-authenticate")).toContain('scope="openid"');
  });

  it("answers POST too, releasing only what the scopes allow", async () => {
    const { tokens, person } = await userTokens({}, { scope: "openid email" });
    const response = await fetch(`${baseUrl()}/oauth/userinfo`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await response.json()).toEqual({ sub: person.user.id, email: person.email, email_verified: false });
  });
});
