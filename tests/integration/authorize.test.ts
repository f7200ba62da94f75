import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { hashSecret } from "@/lib/crypto";
import { authorizationParams, authorizePath, baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { newClient, newUser } from "../support/fixtures";

const API_AUDIENCE = () => `${baseUrl()}/api/v1`;

async function signedInBrowser() {
  const person = await newUser();
  const browser = new HttpSession(freshAddress());
  const response = await browser.signIn(person.email, person.password);
  expect(response.status).toBe(303);
  return { browser, ...person };
}

/** The query of a redirect to the client, or a failure naming where it went instead. */
function clientRedirect(response: Response, redirectUri: string): URLSearchParams {
  expect(response.status, "expected a redirect to the client").toBeGreaterThanOrEqual(302);
  const location = response.headers.get("location") ?? "";
  expect(location.startsWith(`${redirectUri}?`), `redirected to ${location}`).toBe(true);
  return new URLSearchParams(location.slice(redirectUri.length + 1));
}

function portalRedirect(response: Response): URL {
  expect([302, 303, 307]).toContain(response.status);
  const location = new URL(response.headers.get("location") ?? "", baseUrl());
  expect(location.origin).toBe(baseUrl());
  return location;
}

/** Follows a request to the consent page and answers it; returns the final response. */
async function answerConsent(browser: HttpSession, consentUrl: URL, decision: "authorize" | "deny") {
  const path = consentUrl.pathname + consentUrl.search;
  const csrf_token = await browser.csrfTokenFrom(path);
  return browser.post("/auth/consent", { csrf_token, request: consentUrl.searchParams.get("request") ?? "", decision });
}

describe("GET /oauth/authorize: problems shown on the portal, never redirected", () => {
  async function expectErrorPage(response: Response, text: string) {
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const html = await response.text();
    expect(html).toContain(text);
    return html;
  }

  it("without client_id", async () => {
    const app = await newClient();
    const { client_id: _, ...params } = authorizationParams(app);
    await expectErrorPage(await new HttpSession().get(authorizePath(params)), "This sign-in link is incomplete");
  });

  it("for an unknown client, naming it escaped", async () => {
    const response = await new HttpSession().get(
      authorizePath({ ...authorizationParams({ clientId: "<b>nope</b>", redirectUri: "https://evil.example/cb" }) }),
    );
    const html = await expectErrorPage(response, "This app is not registered");
    expect(html).toContain("&#60;b&#62;nope&#60;/b&#62;");
    expect(html).not.toContain("<b>nope</b>");
  });

  it("for a disabled client", async () => {
    const app = await newClient({ disabled: true, name: "Old App" });
    await expectErrorPage(await new HttpSession().get(authorizePath(authorizationParams(app))), "Old App has been turned off");
  });

  it.each([
    (uri: string) => `${uri}/`,
    (uri: string) => uri.toUpperCase(),
    (uri: string) => `${uri}?x`,
    (uri: string) => `${uri}/..;/x`,
    (uri: string) => `${uri}%252f..`,
    (uri: string) => uri.replace(".example/", ".example.evil/"),
    (uri: string) => uri.replace("https://", "https://attacker@"),
    () => "https://evil.example/callback",
  ])("for a redirect_uri that does not match exactly (%#)", async (alter) => {
    const app = await newClient();
    const response = await new HttpSession().get(authorizePath(authorizationParams(app, { redirect_uri: alter(app.redirectUri) })));
    await expectErrorPage(response, "asked to send you to an address it has not registered");
  });

  it("for a missing redirect_uri when several are registered", async () => {
    const app = await newClient({ redirectUris: ["https://a.example/one", "https://a.example/two"] });
    const { redirect_uri: _, ...params } = authorizationParams(app);
    await expectErrorPage(await new HttpSession().get(authorizePath(params)), "did not say where to send you back");
  });

  it("for a duplicated redirect_uri", async () => {
    const app = await newClient();
    const query = new URLSearchParams(authorizationParams(app));
    query.append("redirect_uri", app.redirectUri);
    await expectErrorPage(await new HttpSession().get(authorizePath(query)), "more than one return address");
  });

  it("before any other error: a bad redirect_uri with a bad response_type is still not redirected", async () => {
    const app = await newClient();
    const response = await new HttpSession().get(
      authorizePath(authorizationParams(app, { redirect_uri: "https://evil.example/cb", response_type: "token" })),
    );
    await expectErrorPage(response, "not registered");
  });

  it("shows the requested and registered URIs, difference marked, only to the app's owner", async () => {
    const { browser, user } = await signedInBrowser();
    const app = await newClient({ ownerId: user.id });
    const path = authorizePath(authorizationParams(app, { redirect_uri: `${app.redirectUri}/` }));

    const ownerView = await (await browser.get(path)).text();
    expect(ownerView).toContain('data-testid="owner-comparison"');
    expect(ownerView).toContain(`<code>${app.redirectUri}<mark>/</mark></code>`);

    const strangerView = await (await new HttpSession().get(path)).text();
    expect(strangerView).not.toContain("owner-comparison");
    expect(strangerView).not.toContain(`<code>${app.redirectUri}</code>`);
  });
});

describe("GET /oauth/authorize: errors redirected to the client", () => {
  async function expectError(
    params: Record<string, string> | URLSearchParams,
    app: { redirectUri: string },
    error: string,
    browser = new HttpSession(),
  ) {
    const response = await browser.get(authorizePath(params));
    expect(response.status).toBe(302);
    const query = clientRedirect(response, app.redirectUri);
    expect(query.get("error")).toBe(error);
    expect(query.get("iss")).toBe(baseUrl());
    expect(query.get("code")).toBeNull();
    const description = query.get("error_description") ?? "";
    expect(description).not.toMatch(/[\r\n\t"\\]/);
    return query;
  }

  it("echoes state and iss with the error", async () => {
    const app = await newClient();
    const query = await expectError(
      authorizationParams(app, { response_type: "token", state: "s p&c=1" }),
      app,
      "unsupported_response_type",
    );
    expect(query.get("state")).toBe("s p&c=1");
  });

  it.each([
    ["invalid_request", { response_type: "" }],
    ["unsupported_response_type", { response_type: "token" }],
    ["invalid_scope", { scope: "openid admin" }],
    ["invalid_request", { code_challenge: "", code_challenge_method: "" }],
    ["invalid_request", { code_challenge_method: "plain", code_challenge: "a".repeat(43) }],
    ["invalid_request", { code_challenge_method: "" }],
    ["invalid_request", { code_challenge: "short" }],
    ["invalid_request", { prompt: "none login" }],
    ["invalid_target", { audience: "https://other.example/api" }],
    ["invalid_target", { resource: "https://other.example/api" }],
    ["request_not_supported", { request: "eyJhbGciOiJub25lIn0.e30." }],
  ])("%s for %j", async (error, overrides) => {
    const app = await newClient();
    await expectError(authorizationParams(app, overrides), app, error);
  });

  it("invalid_request for a duplicated parameter", async () => {
    const app = await newClient();
    const query = new URLSearchParams(authorizationParams(app));
    query.append("scope", "email");
    await expectError(query, app, "invalid_request");
  });

  it("unauthorized_client when the app may not use the authorization code grant", async () => {
    const app = await newClient({ isConfidential: true, grantTypes: ["client_credentials"] });
    await expectError(authorizationParams(app), app, "unauthorized_client");
  });

  it("requires PKCE from a public client, and from a confidential one that requires it", async () => {
    for (const app of [await newClient(), await newClient({ isConfidential: true, requirePkce: true })]) {
      await expectError(authorizationParams(app, { code_challenge: "", code_challenge_method: "" }), app, "invalid_request");
    }
  });

  it("login_required with prompt=none when nobody is signed in", async () => {
    const app = await newClient();
    await expectError(authorizationParams(app, { prompt: "none" }), app, "login_required");
  });

  it("consent_required with prompt=none when the person has not authorized the app", async () => {
    const app = await newClient();
    const { browser } = await signedInBrowser();
    await expectError(authorizationParams(app, { prompt: "none" }), app, "consent_required", browser);
  });
});

describe("the authorization code flow over HTTP", () => {
  it("hands a signed-out person to sign-in and back to the same request, then consent, then a code", async () => {
    const person = await newUser();
    const app = await newClient({ name: "Flow App" });
    const browser = new HttpSession(freshAddress());
    const params = authorizationParams(app, { scope: "openid email", nonce: "n-0S6", state: "af0ifjsldkj" });

    const toSignIn = portalRedirect(await browser.get(authorizePath(params)));
    expect(toSignIn.pathname).toBe("/sign-in");
    const returnTo = toSignIn.searchParams.get("returnTo") ?? "";
    expect(returnTo).toMatch(/^\/oauth\/authorize\/resume\?request=[\w-]{43}$/);
    // The request itself is not in the URL: only a handle to it.
    expect(toSignIn.search).not.toContain("af0ifjsldkj");
    expect(await (await browser.get(toSignIn.pathname + toSignIn.search)).text()).toContain("to continue to Flow App");

    const signedIn = await browser.signIn(person.email, person.password, { returnTo });
    expect(signedIn.headers.get("location")).toBe(`${baseUrl()}${returnTo}`);

    const toConsent = portalRedirect(await browser.get(returnTo));
    expect(toConsent.pathname).toBe("/consent");
    const consentPage = await browser.get(toConsent.pathname + toConsent.search);
    expect(consentPage.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    const html = await consentPage.text();
    for (const text of [
      "Flow App",
      "Sign you in to the app with your account",
      "See your email address",
      new URL(app.redirectUri).host,
      "Authorize",
      "Deny",
    ]) {
      expect(html).toContain(text);
    }

    const approved = await answerConsent(browser, toConsent, "authorize");
    expect(approved.status).toBe(303);
    const query = clientRedirect(approved, app.redirectUri);
    expect(query.get("state")).toBe("af0ifjsldkj");
    expect(query.get("iss")).toBe(baseUrl());
    const code = query.get("code") ?? "";
    expect(code).toMatch(/^[\w-]{43}$/);

    // Stored hashed, bound to everything the token request must match.
    const stored = await db().authorizationCode.findUnique({ where: { codeHash: hashSecret(code) } });
    expect(stored).toMatchObject({
      clientId: app.clientId,
      userId: person.user.id,
      redirectUri: app.redirectUri,
      redirectUriSent: true,
      scopes: "openid email",
      codeChallenge: params.code_challenge,
      codeChallengeMethod: "S256",
      nonce: "n-0S6",
      audience: API_AUDIENCE(),
      consumedAt: null,
    });
    const lifetime = (stored!.expiresAt.getTime() - stored!.createdAt.getTime()) / 1000;
    expect(lifetime).toBeGreaterThan(295);
    expect(lifetime).toBeLessThanOrEqual(301);
    expect(await db().authorizationCode.count({ where: { codeHash: code } })).toBe(0);

    const event = await db().auditEvent.findFirst({ where: { type: "authorization.approved", clientId: app.clientId } });
    expect(event).toMatchObject({ userId: person.user.id, scopes: "openid email" });
  });

  it("redirects Deny with access_denied and records the refusal", async () => {
    const { browser, user } = await signedInBrowser();
    const app = await newClient();
    const toConsent = portalRedirect(await browser.get(authorizePath(authorizationParams(app, { state: "deny-state" }))));
    const denied = await answerConsent(browser, toConsent, "deny");
    expect(denied.status).toBe(303);
    const query = clientRedirect(denied, app.redirectUri);
    expect(query.get("error")).toBe("access_denied");
    expect(query.get("state")).toBe("deny-state");
    expect(query.get("iss")).toBe(baseUrl());
    expect(query.get("code")).toBeNull();
    expect(await db().auditEvent.count({ where: { type: "authorization.denied", clientId: app.clientId, userId: user.id } })).toBe(1);
    expect(await db().grant.count({ where: { clientId: app.clientId } })).toBe(0);
  });

  it("answers a consent request only once", async () => {
    const { browser } = await signedInBrowser();
    const app = await newClient();
    const toConsent = portalRedirect(await browser.get(authorizePath(authorizationParams(app))));
    const csrf_token = await browser.csrfTokenFrom(toConsent.pathname + toConsent.search);
    const form = { csrf_token, request: toConsent.searchParams.get("request") ?? "", decision: "authorize" };
    const [first, second] = await Promise.all([browser.post("/auth/consent", form), browser.post("/auth/consent", form)]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([303, 400]);
    expect(await db().authorizationCode.count({ where: { clientId: app.clientId } })).toBe(1);
    expect(await (await browser.post("/auth/consent", form)).text()).toContain("expired or was already answered");
  });

  it("refuses a consent answer without a valid CSRF token or from another origin", async () => {
    const { browser } = await signedInBrowser();
    const app = await newClient();
    const toConsent = portalRedirect(await browser.get(authorizePath(authorizationParams(app))));
    const request = toConsent.searchParams.get("request") ?? "";
    const csrf_token = await browser.csrfTokenFrom(toConsent.pathname + toConsent.search);
    expect((await browser.post("/auth/consent", { csrf_token: "forged", request, decision: "authorize" })).status).toBe(403);
    expect(
      (await browser.post("/auth/consent", { csrf_token, request, decision: "authorize" }, { origin: "https://evil.example" })).status,
    ).toBe(403);
    expect(await db().authorizationCode.count({ where: { clientId: app.clientId } })).toBe(0);
  });

  it("remembers consent for the same or fewer scopes, and asks again for a new one", async () => {
    const { browser } = await signedInBrowser();
    const app = await newClient();
    const first = portalRedirect(await browser.get(authorizePath(authorizationParams(app, { scope: "openid profile" }))));
    clientRedirect(await answerConsent(browser, first, "authorize"), app.redirectUri);

    for (const scope of ["openid profile", "profile", ""]) {
      const again = await browser.get(authorizePath(authorizationParams(app, { scope })));
      expect(clientRedirect(again, app.redirectUri).get("code")).toBeTruthy();
    }

    const wider = portalRedirect(await browser.get(authorizePath(authorizationParams(app, { scope: "openid profile email" }))));
    expect(wider.pathname).toBe("/consent");
    const html = await (await browser.get(wider.pathname + wider.search)).text();
    expect(html).toContain("is asking for more access");
    expect(html).toContain("See your email address");
    expect(html).toMatch(/Already allowed:[^<]*See your name/);
    clientRedirect(await answerConsent(browser, wider, "authorize"), app.redirectUri);

    const grants = await db().grant.findMany({ where: { clientId: app.clientId } });
    expect(grants).toHaveLength(1);
    expect(grants[0]!.scopes.split(" ").sort()).toEqual(["email", "openid", "profile"]);
  });

  it("always asks with prompt=consent", async () => {
    const { browser } = await signedInBrowser();
    const app = await newClient();
    clientRedirect(
      await answerConsent(browser, portalRedirect(await browser.get(authorizePath(authorizationParams(app)))), "authorize"),
      app.redirectUri,
    );
    expect(portalRedirect(await browser.get(authorizePath(authorizationParams(app, { prompt: "consent" })))).pathname).toBe("/consent");
  });

  it("issues a code at once with prompt=none once consent is remembered", async () => {
    const { browser } = await signedInBrowser();
    const app = await newClient();
    clientRedirect(
      await answerConsent(browser, portalRedirect(await browser.get(authorizePath(authorizationParams(app)))), "authorize"),
      app.redirectUri,
    );
    const silent = await browser.get(authorizePath(authorizationParams(app, { prompt: "none" })));
    expect(clientRedirect(silent, app.redirectUri).get("code")).toBeTruthy();
  });

  it("skips consent for a first-party app", async () => {
    const { browser } = await signedInBrowser();
    const app = await newClient({ isFirstParty: true });
    const response = await browser.get(authorizePath(authorizationParams(app)));
    expect(clientRedirect(response, app.redirectUri).get("code")).toBeTruthy();
    expect(await db().auditEvent.count({ where: { type: "authorization.approved", clientId: app.clientId } })).toBe(1);
  });

  it("makes a signed-in person sign in again with prompt=login", async () => {
    const { browser, email, password } = await signedInBrowser();
    const app = await newClient({ isFirstParty: true });
    const toSignIn = portalRedirect(await browser.get(authorizePath(authorizationParams(app, { prompt: "login" }))));
    expect(toSignIn.pathname).toBe("/sign-in");
    expect(toSignIn.searchParams.get("prompt")).toBe("login");
    const returnTo = toSignIn.searchParams.get("returnTo") ?? "";

    // The sign-in page asks instead of waving the old session through, and resuming without signing in goes back there.
    expect((await browser.get(toSignIn.pathname + toSignIn.search)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(portalRedirect(await browser.get(returnTo)).pathname).toBe("/sign-in");

    const csrf_token = await browser.csrfTokenFrom(toSignIn.pathname + toSignIn.search);
    expect((await browser.post("/auth/sign-in", { csrf_token, email, password, returnTo })).status).toBe(303);
    expect(clientRedirect(await browser.get(returnTo), app.redirectUri).get("code")).toBeTruthy();
  });

  it("keeps the redirect URI's own query and lets a native app's loopback port vary, not a web app's", async () => {
    const { browser } = await signedInBrowser();
    const native = await newClient({ isFirstParty: true, applicationType: "native", redirectUris: ["http://127.0.0.1/callback?tenant=7"] });
    const response = await browser.get(
      authorizePath(authorizationParams(native, { redirect_uri: "http://127.0.0.1:49152/callback?tenant=7" })),
    );
    const location = response.headers.get("location") ?? "";
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:49152\/callback\?tenant=7&code=/);
    const web = await newClient({ isFirstParty: true, redirectUris: ["http://127.0.0.1/callback"] });
    const refused = await browser.get(authorizePath(authorizationParams(web, { redirect_uri: "http://127.0.0.1:49152/callback" })));
    expect(refused.status).toBe(400);
    expect(refused.headers.get("location")).toBeNull();
  });

  it("uses the single registered redirect URI when none is sent, and remembers it was not sent", async () => {
    const { browser } = await signedInBrowser();
    const app = await newClient({ isFirstParty: true });
    const { redirect_uri: _, ...params } = authorizationParams(app);
    const code = clientRedirect(await browser.get(authorizePath(params)), app.redirectUri).get("code") ?? "";
    expect(await db().authorizationCode.findUnique({ where: { codeHash: hashSecret(code) } })).toMatchObject({ redirectUriSent: false });
  });

  it("accepts the request as a form POST, answering with 303", async () => {
    const { browser } = await signedInBrowser();
    const app = await newClient({ isFirstParty: true });
    const response = await browser.post("/oauth/authorize", authorizationParams(app, { state: "posted" }));
    expect(response.status).toBe(303);
    expect(clientRedirect(response, app.redirectUri).get("state")).toBe("posted");
  });

  it("shows an expired-request page for an unknown handle", async () => {
    const response = await new HttpSession().get("/oauth/authorize/resume?request=not-a-real-handle");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("expired or was already answered");
  });
});
