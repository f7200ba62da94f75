/** Metadata (RFC 8414, OpenID Connect Discovery), the JWKS, and key rotation. */
import { decodeProtectedHeader, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { baseUrl } from "../support/http-client";
import { runPortalCli } from "../support/portal-cli";
import { userinfo, userTokens } from "../support/oauth";
import { newClient } from "../support/fixtures";
import { db } from "@/lib/db";

async function getJson(path: string) {
  const response = await fetch(`${baseUrl()}${path}`, { redirect: "manual" });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const jwks = async () => (await getJson("/.well-known/jwks.json")).keys as JWK[];

describe("metadata", () => {
  it.each(["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"])(
    "%s lists exactly what the portal supports",
    async (path) => {
      const metadata = await getJson(path);
      expect(metadata).toMatchObject({
        issuer: baseUrl(),
        authorization_endpoint: `${baseUrl()}/oauth/authorize`,
        token_endpoint: `${baseUrl()}/oauth/token`,
        revocation_endpoint: `${baseUrl()}/oauth/revoke`,
        introspection_endpoint: `${baseUrl()}/oauth/introspect`,
        userinfo_endpoint: `${baseUrl()}/oauth/userinfo`,
        jwks_uri: `${baseUrl()}/.well-known/jwks.json`,
        response_types_supported: ["code"],
        grant_types_supported: [
          "authorization_code",
          "refresh_token",
          "client_credentials",
          "urn:ietf:params:oauth:grant-type:device_code",
        ],
        device_authorization_endpoint: `${baseUrl()}/oauth/device_authorization`,
        pushed_authorization_request_endpoint: `${baseUrl()}/oauth/par`,
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"],
        token_endpoint_auth_signing_alg_values_supported: ["RS256", "PS256", "ES256", "EdDSA"],
        introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "private_key_jwt"],
        authorization_response_iss_parameter_supported: true,
        id_token_signing_alg_values_supported: ["RS256", "ES256", "EdDSA"],
      });
      expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email", "offline_access"]));
    },
  );

  it("lists plain PKCE only while some app may use it", async () => {
    const methods = async () => (await getJson("/.well-known/openid-configuration")).code_challenge_methods_supported;
    const plainAllowed = (await db().client.count({ where: { allowPlainPkce: true } })) > 0;
    expect(await methods()).toEqual(plainAllowed ? ["S256", "plain"] : ["S256"]);
    await newClient({ allowPlainPkce: true });
    expect(await methods()).toEqual(["S256", "plain"]);
  });
});

describe("signing keys", () => {
  it("publishes public keys only, each with a unique kid, and tokens name theirs", async () => {
    const keys = await jwks();
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys.map((key) => key.kid)).size).toBe(keys.length);
    for (const key of keys) {
      expect(key).toMatchObject({ use: "sig", alg: expect.stringMatching(/^(RS256|ES256|EdDSA)$/) });
      for (const secretPart of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key).not.toHaveProperty(secretPart);
    }
    const { tokens } = await userTokens({}, { scope: "openid" });
    const header = decodeProtectedHeader(tokens.access_token);
    // Access tokens ES256 (ACCESS_TOKEN_SIGNING_ALG), ID tokens RS256 (SIGNING_ALG), each key published.
    expect(header).toMatchObject({ typ: "at+jwt", alg: "ES256" });
    expect(keys.map((key) => key.kid)).toContain(header.kid);
    const idTokenHeader = decodeProtectedHeader(tokens.id_token!);
    expect(idTokenHeader).toMatchObject({ typ: "JWT", alg: "RS256" });
    expect(keys.map((key) => key.kid)).toContain(idTokenHeader.kid);
  });

  it("keys rotate: a new key of each algorithm is published first, then signs; the old ones stay published and their tokens stay valid", async () => {
    const before = await userTokens({}, { scope: "openid" });
    const oldKids = [before.tokens.access_token, before.tokens.id_token!].map((token) => decodeProtectedHeader(token).kid);

    const run = await runPortalCli(["keys", "rotate"]);
    expect(run.status, run.stderr).toBe(0);
    const newKids = ["ES256", "RS256"].map(
      (alg) => new RegExp(`New ${alg} signing key (\\S+) is published now and signs from`).exec(run.stdout)?.[1],
    );
    expect(newKids.every(Boolean), run.stdout).toBe(true);

    // The server reloads keys every few seconds (another instance may rotate them).
    await expect
      .poll(async () => (await jwks()).map((key) => key.kid), { timeout: 10_000, interval: 250 })
      .toEqual(expect.arrayContaining([...oldKids, ...newKids]));
    // Published (the test server publishes SIGNING_KEY_PUBLISH_AHEAD=8 s ahead, longer than a reload), not signing yet.
    const meanwhile = await userTokens({}, { scope: "openid" });
    expect([meanwhile.tokens.access_token, meanwhile.tokens.id_token!].map((token) => decodeProtectedHeader(token).kid)).toEqual(oldKids);
    await expect
      .poll(
        async () => {
          const { tokens } = await userTokens({}, { scope: "openid" });
          return [tokens.access_token, tokens.id_token!].map((token) => decodeProtectedHeader(token).kid);
        },
        { timeout: 20_000, interval: 500 },
      )
      .toEqual(newKids);
    expect((await userinfo(before.tokens.access_token)).status).toBe(200);
  });
});
