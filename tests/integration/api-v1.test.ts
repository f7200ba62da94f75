/** /api/v1 with bearer tokens: RFC 6750 errors, scope guards and the principal. */
import { describe, expect, it } from "vitest";
import { baseUrl } from "../support/http-client";
import { newClient } from "../support/fixtures";
import { basic, postForm, signedByPortal, userTokens } from "../support/oauth";

function api(path: string, token?: string, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl()}/api/v1${path}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    redirect: "manual",
  });
}

async function clientCredentialsToken(scope?: string) {
  const app = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
  const response = await postForm(
    "/oauth/token",
    { grant_type: "client_credentials", ...(scope ? { scope } : {}) },
    basic(app.clientId, app.clientSecret!),
  );
  return { app, token: ((await response.json()) as { access_token: string }).access_token };
}

function expectChallenge(response: Response, status: number, error?: string) {
  expect(response.status).toBe(status);
  const challenge = response.headers.get("www-authenticate") ?? "";
  expect(challenge.startsWith(`Bearer realm="${baseUrl()}"`)).toBe(true);
  if (error) expect(challenge).toContain(`error="${error}"`);
  else expect(challenge).not.toContain("error=");
  expect(response.headers.get("content-type")).toContain("application/json");
}

describe("the /api/v1 guard", () => {
  it("401 with the challenge and no error code without a token, or with another scheme", async () => {
    expectChallenge(await api("/me"), 401);
    expectChallenge(await api("/me", undefined, { authorization: "Basic YTpi" }), 401);
    const body = await (await api("/me")).text();
    expect(body).not.toMatch(/at |stack/i);
  });

  it("401 invalid_token for a malformed, tampered, expired or ID token, and one for another audience", async () => {
    const { tokens, app, person } = await userTokens();
    const claims = { sub: person.user.id, client_id: app.clientId, scope: "openid", gid: "g" };
    const expired = await signedByPortal(claims, { expiresAt: Math.floor(Date.now() / 1000) - 1 });
    const otherAudience = await signedByPortal(claims, { audience: "https://other-api.example" });
    for (const token of ["garbage", `${tokens.access_token.slice(0, -3)}abc`, expired, tokens.id_token!, otherAudience]) {
      expectChallenge(await api("/me", token), 401, "invalid_token");
    }
  });

  it("refuses a token right after it is revoked", async () => {
    const { tokens, app } = await userTokens();
    expect((await api("/me", tokens.access_token)).status).toBe(200);
    expect((await postForm("/oauth/revoke", { token: tokens.access_token, client_id: app.clientId })).status).toBe(200);
    expectChallenge(await api("/me", tokens.access_token), 401, "invalid_token");
  });

  it("403 insufficient_scope naming the scope a route needs", async () => {
    const { tokens } = await userTokens({}, { scope: "openid" });
    const response = await api("/apps", tokens.access_token);
    expectChallenge(response, 403, "insufficient_scope");
    expect(response.headers.get("www-authenticate")).toContain('scope="apps.read"');
    expect(await response.json()).toMatchObject({ error: "insufficient_scope", scope: "apps.read" });
  });

  it("403 for a client credentials token on a route that acts for a person", async () => {
    const { token } = await clientCredentialsToken();
    expectChallenge(await api("/me", token), 403, "insufficient_scope");
  });
});

describe("GET /api/v1/me", () => {
  it("returns exactly what the token's scopes release, as userinfo does", async () => {
    const narrow = await userTokens({}, { scope: "openid" });
    expect(await (await api("/me", narrow.tokens.access_token)).json()).toEqual({ sub: narrow.person.user.id });
    const wide = await userTokens({}, { scope: "openid email profile" });
    expect(await (await api("/me", wide.tokens.access_token)).json()).toEqual({
      sub: wide.person.user.id,
      email: wide.person.email,
      email_verified: wide.person.user.emailVerifiedAt !== null,
      name: "Token Tester",
    });
    const userinfo = await fetch(`${baseUrl()}/oauth/userinfo`, { headers: { authorization: `Bearer ${wide.tokens.access_token}` } });
    expect(await userinfo.json()).toEqual(await (await api("/me", wide.tokens.access_token)).json());
  });
});

describe("GET /api/v1/apps and /api/v1/connections", () => {
  it("list the apps the person owns and the apps they authorized", async () => {
    const scopes = ["openid", "apps.read", "connections.read"];
    const { tokens, app, person } = await userTokens({ scopes }, { scope: "apps.read connections.read" });
    const owned = await newClient({ name: "My Own App", ownerId: person.user.id });

    const apps = (await (await api("/apps", tokens.access_token)).json()) as { apps: { client_id: string; name: string; type: string }[] };
    expect(apps.apps).toEqual([
      expect.objectContaining({ client_id: owned.clientId, name: "My Own App", type: "public", redirect_uris: [owned.redirectUri] }),
    ]);

    const connections = (await (await api("/connections", tokens.access_token)).json()) as {
      connections: { client_id: string; scopes: string[] }[];
    };
    expect(connections.connections).toEqual([
      expect.objectContaining({ client_id: app.clientId, scopes: ["apps.read", "connections.read"] }),
    ]);
  });
});
