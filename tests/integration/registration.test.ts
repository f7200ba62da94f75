/**
 * Dynamic client registration (RFC 7591) and management (RFC 7592). The test
 * server registers with an admin's initial access token (REGISTRATION_POLICY=
 * token); open registration runs on a second instance of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as client from "openid-client";
import { db } from "@/lib/db";
import { createInitialAccessToken } from "@/lib/oauth/store/initial-access-tokens";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { newUser } from "../support/fixtures";
import { currentServerEnv, startTestServer, type TestServer } from "../support/test-server";

const metadata = {
  client_name: "Registered App",
  redirect_uris: ["https://registered.example/cb"],
  grant_types: ["authorization_code", "refresh_token"],
  scope: "openid email",
};

function register(body: unknown, headers: Record<string, string> = {}, base = baseUrl()) {
  return fetch(`${base}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

async function initialAccessToken(uses = 1, days = 1) {
  return (await createInitialAccessToken({ label: "test", uses, days, createdById: null })).token;
}

describe("registration with an initial access token", () => {
  it("registers with openid-client, which then runs the code flow as the new client", async () => {
    const config = await client.dynamicClientRegistration(
      new URL(baseUrl()),
      { ...metadata, token_endpoint_auth_method: "client_secret_basic" },
      undefined,
      {
        initialAccessToken: await initialAccessToken(),
        execute: [client.allowInsecureRequests],
      },
    );
    const registered = config.clientMetadata();
    expect(registered.client_secret).toMatch(/^[0-9a-f]{64}$/);
    expect(registered).toMatchObject({
      client_name: "Registered App",
      token_endpoint_auth_method: "client_secret_basic",
      redirect_uris: metadata.redirect_uris,
      scope: "openid email",
    });
    const stored = await db().client.findUniqueOrThrow({ where: { id: registered.client_id } });
    expect(stored.registeredVia).toBe("token");
    expect(stored.registrationTokenHash).not.toBe(registered.registration_access_token);
    // The new client's secret works at the token endpoint (client credentials is not among its grants, so: unauthorized_client).
    const answer = await fetch(`${baseUrl()}/oauth/token`, {
      method: "POST",
      body: "grant_type=client_credentials",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${registered.client_id}:${registered.client_secret}`).toString("base64")}`,
      },
    });
    expect(((await answer.json()) as { error: string }).error).toBe("unauthorized_client");
  });

  it("needs a valid, unexpired token with uses left, and takes a use only for a valid registration", async () => {
    expect((await register(metadata)).status).toBe(401);
    expect((await register(metadata, { authorization: "Bearer not-a-token" })).status).toBe(401);
    const token = await initialAccessToken(1);
    const refused = await register({ ...metadata, redirect_uris: ["http://plain.example/cb"] }, { authorization: `Bearer ${token}` });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "invalid_redirect_uri", error_description: expect.stringContaining("https") });
    expect((await register(metadata, { authorization: `Bearer ${token}` })).status).toBe(201);
    expect((await register(metadata, { authorization: `Bearer ${token}` })).status).toBe(401);
    const expired = await createInitialAccessToken({ label: "old", uses: 5, days: 1, createdById: null });
    await db().initialAccessToken.updateMany({ where: { label: "old" }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await register(metadata, { authorization: `Bearer ${expired.token}` })).status).toBe(401);
  });

  it.each([
    ["an unsupported response type", { response_types: ["token"] }, "invalid_client_metadata"],
    ["an unsupported grant type", { grant_types: ["password"] }, "invalid_client_metadata"],
    ["an unknown scope", { scope: "openid no.such.scope" }, "invalid_client_metadata"],
    [
      "a management scope (machine access comes from client grants, which only admins give on the portal's API)",
      { scope: "openid admin.users", grant_types: ["client_credentials"] },
      "invalid_client_metadata",
    ],
    ["a private-use scheme for a web app", { redirect_uris: ["com.example.app:/cb"] }, "invalid_redirect_uri"],
    ["a fragment", { redirect_uris: ["https://registered.example/cb#x"] }, "invalid_redirect_uri"],
    ["private_key_jwt without keys", { token_endpoint_auth_method: "private_key_jwt" }, "invalid_client_metadata"],
    ["a body that is not an object", "just a string", "invalid_client_metadata"],
  ])("refuses %s with the RFC 7591 error and writes nothing", async (_name, change, error) => {
    const before = await db().client.count();
    const body = typeof change === "string" ? change : { ...metadata, ...change };
    const response = await register(body, { authorization: `Bearer ${await initialAccessToken()}` });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe(error);
    expect(await db().client.count()).toBe(before);
  });

  it("reads, updates and deletes the registration with its registration access token (RFC 7592)", async () => {
    const created = (await (await register(metadata, { authorization: `Bearer ${await initialAccessToken()}` })).json()) as Record<
      string,
      string
    >;
    const manage = (method: string, token = created.registration_access_token!, body?: unknown) =>
      fetch(created.registration_client_uri!, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect(created.registration_client_uri).toBe(`${baseUrl()}/oauth/register/${created.client_id}`);
    expect(await (await manage("GET")).json()).toMatchObject({ client_id: created.client_id, client_name: "Registered App" });
    expect((await manage("GET", "wrong-token")).status).toBe(401);

    const updated = await manage("PUT", undefined, {
      ...metadata,
      client_id: created.client_id,
      client_name: "Renamed App",
      redirect_uris: ["https://registered.example/new-cb"],
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ client_name: "Renamed App", redirect_uris: ["https://registered.example/new-cb"] });
    expect(
      (await manage("PUT", undefined, { ...metadata, client_id: created.client_id, token_endpoint_auth_method: "client_secret_post" }))
        .status,
    ).toBe(400);

    expect((await manage("DELETE")).status).toBe(204);
    expect(await db().client.findUnique({ where: { id: created.client_id } })).toBeNull();
    expect((await manage("GET")).status).toBe(401);
  });

  it("keeps what a client asked for, and gives one that asked nothing the forgiving default, reported as client_secret_basic", async () => {
    const clientCredentialsOf = (id: string) => ({ grant_type: "client_credentials", client_id: id });
    const sendBoth = async (registered: { client_id: string; client_secret: string }) => {
      const inBody = await fetch(`${baseUrl()}/oauth/token`, {
        method: "POST",
        body: new URLSearchParams({ ...clientCredentialsOf(registered.client_id), client_secret: registered.client_secret }),
      });
      const byBasic = await fetch(`${baseUrl()}/oauth/token`, {
        method: "POST",
        body: new URLSearchParams({ grant_type: "client_credentials" }),
        headers: { authorization: `Basic ${Buffer.from(`${registered.client_id}:${registered.client_secret}`).toString("base64")}` },
      });
      // Client credentials is not among its grants: a secret that authenticates gets unauthorized_client, one that does not invalid_client.
      return [((await inBody.json()) as { error: string }).error, ((await byBasic.json()) as { error: string }).error];
    };
    const unasked = (await (await register(metadata, { authorization: `Bearer ${await initialAccessToken()}` })).json()) as {
      client_id: string;
      client_secret: string;
      token_endpoint_auth_method: string;
      registration_access_token: string;
      registration_client_uri: string;
    };
    expect(unasked.token_endpoint_auth_method).toBe("client_secret_basic");
    expect(await sendBoth(unasked)).toEqual(["unauthorized_client", "unauthorized_client"]);
    // Sending back what it read keeps the forgiving default.
    const readBack = (await (
      await fetch(unasked.registration_client_uri, { headers: { authorization: `Bearer ${unasked.registration_access_token}` } })
    ).json()) as Record<string, unknown>;
    const put = await fetch(unasked.registration_client_uri, {
      method: "PUT",
      headers: { authorization: `Bearer ${unasked.registration_access_token}`, "content-type": "application/json" },
      body: JSON.stringify({
        client_id: unasked.client_id,
        client_name: readBack.client_name,
        redirect_uris: readBack.redirect_uris,
        grant_types: readBack.grant_types,
        scope: readBack.scope,
        token_endpoint_auth_method: readBack.token_endpoint_auth_method,
      }),
    });
    expect(put.status).toBe(200);
    expect(await sendBoth(unasked)).toEqual(["unauthorized_client", "unauthorized_client"]);

    const pinned = (await (
      await register(
        { ...metadata, token_endpoint_auth_method: "client_secret_basic" },
        { authorization: `Bearer ${await initialAccessToken()}` },
      )
    ).json()) as { client_id: string; client_secret: string };
    expect(await sendBoth(pinned)).toEqual(["invalid_client", "unauthorized_client"]);
  });

  it("is advertised in discovery", async () => {
    const discovered = (await (await fetch(`${baseUrl()}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovered.registration_endpoint).toBe(`${baseUrl()}/oauth/register`);
  });
});

describe("open registration (REGISTRATION_POLICY=open)", () => {
  let open: TestServer;
  beforeAll(async () => {
    open = await startTestServer({ sameAs: currentServerEnv(), env: { REGISTRATION_POLICY: "open", REGISTRATION_MAX_PER_IP: "3" } });
  }, 150_000);
  afterAll(async () => {
    await open?.stop();
  });

  it("lets public clients with https or loopback redirect URIs register, a few per address, and marks them unverified", async () => {
    const address = freshAddress();
    const publicApp = { ...metadata, token_endpoint_auth_method: "none", redirect_uris: ["http://127.0.0.1:7777/callback"] };
    const created = await register(publicApp, address, open.baseUrl);
    expect(created.status).toBe(201);
    const registered = (await created.json()) as { client_id: string; client_secret?: string };
    expect(registered.client_secret).toBeUndefined();
    expect((await db().client.findUniqueOrThrow({ where: { id: registered.client_id } })).registeredVia).toBe("open");

    // No credentials without an initial access token, and no private-use schemes.
    expect(
      await (await register({ ...metadata, token_endpoint_auth_method: "client_secret_basic" }, address, open.baseUrl)).json(),
    ).toMatchObject({ error: "invalid_client_metadata" });
    expect(
      await (
        await register({ ...publicApp, redirect_uris: ["com.example.app:/cb"], application_type: "native" }, address, open.baseUrl)
      ).json(),
    ).toMatchObject({ error: "invalid_redirect_uri" });

    // The consent screen says nobody vouched for it.
    const person = await newUser();
    const browser = new HttpSession(freshAddress());
    await browser.signIn(person.email, person.password);
    const authorize = await browser.get(
      `/oauth/authorize?${new URLSearchParams({ response_type: "code", client_id: registered.client_id, redirect_uri: "http://127.0.0.1:7777/callback", scope: "openid", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" })}`,
    );
    const consent = new URL(authorize.headers.get("location")!, baseUrl());
    expect(await (await browser.get(consent.pathname + consent.search)).text()).toContain("Not verified by");

    // Three per address per hour: the third valid one passes, the fourth is 429.
    expect((await register(publicApp, address, open.baseUrl)).status).toBe(201);
    expect((await register(publicApp, address, open.baseUrl)).status).toBe(201);
    const limited = await register(publicApp, address, open.baseUrl);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeTruthy();
    expect((await register(publicApp, freshAddress(), open.baseUrl)).status).toBe(201);
  });
});
