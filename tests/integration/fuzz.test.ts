/**
 * Property-based fuzzing (fast-check) of every protocol endpoint and form
 * post: whatever arrives, no 5xx, errors in the documented shape, no redirect
 * off the portal except to a registered redirect URI, and nothing written by a
 * rejected request. Each property is bounded in runs and time.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { newClient, newUser } from "../support/fixtures";
import { basic } from "../support/oauth";

const RUNS = { numRuns: 60, interruptAfterTimeLimit: 6_000 };

const OAUTH_PARAMS = [
  "grant_type",
  "code",
  "redirect_uri",
  "code_verifier",
  "client_id",
  "client_secret",
  "refresh_token",
  "scope",
  "token",
  "token_type_hint",
  "resource",
  "audience",
  "response_type",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
  "prompt",
  "max_age",
  "login_hint",
  "request",
  "request_uri",
  "response_mode",
];
const FORM_FIELDS = [
  "csrf_token",
  "email",
  "password",
  "name",
  "returnTo",
  "request",
  "decision",
  "userId",
  "clientId",
  "action",
  "mode",
  "description",
  "tokenKind",
  "firstParty",
  "disabled",
];

const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "%",
    "%00",
    "\r\n",
    "..",
    "//evil.example",
    "javascript:alert(1)",
    "authorization_code",
    "refresh_token",
    "client_credentials",
    "S256",
    "plain",
    "openid",
    "none",
    "a".repeat(3000),
    "null",
    "[]",
    "{}",
    "constructor",
    "__proto__",
  ),
);
const paramName = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...OAUTH_PARAMS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const params = fc.array(fc.tuple(paramName, nastyString), { maxLength: 8 });
const jsonValue = fc.oneof(
  nastyString,
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), nastyString, { maxKeys: 3 }),
);

type Encoded = { body: string | Uint8Array<ArrayBuffer>; contentType?: string };
const bodyOf = (fields: Array<[string, string]>): fc.Arbitrary<Encoded> =>
  fc.oneof(
    fc.constant({ body: new URLSearchParams(fields).toString(), contentType: "application/x-www-form-urlencoded" }),
    fc
      .dictionary(paramName, jsonValue, { maxKeys: 6 })
      .map((object) => ({ body: JSON.stringify(object), contentType: "application/json" })),
    fc.string({ maxLength: 200 }).map((text) => ({ body: text, contentType: "application/json" })),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ body: new Uint8Array(bytes), contentType: "application/x-www-form-urlencoded" })),
    fc.constantFrom<Encoded>(
      { body: "a=b", contentType: "text/plain" },
      { body: "a=b", contentType: "multipart/form-data; boundary=x" },
      { body: "a=b" },
    ),
  );
const request = params.chain((fields) => bodyOf(fields).map((encoded) => ({ fields, ...encoded })));

/**
 * Rows in every table a rejected request must not touch. Rows the server's
 * scheduled purge (lib/purge.ts) could delete while a test runs are left out,
 * since that is not a request's doing: refresh tokens and revocations expiring
 * within ten minutes, codes a day past expiry (give or take the same margin).
 */
const MARGIN_MS = 10 * 60 * 1000;
const lasting = { expiresAt: { gt: new Date(Date.now() + MARGIN_MS) } };
const codeKept = { expiresAt: { gt: new Date(Date.now() - 24 * 3600_000 + MARGIN_MS) } };

async function rowCounts() {
  const client = db();
  const counts = await Promise.all([
    client.user.count(),
    client.client.count(),
    client.redirectUri.count(),
    client.api.count(),
    client.apiScope.count(),
    client.grant.count(),
    client.authorizationCode.count({ where: { ...codeKept, consumedAt: { not: null } } }),
    client.authorizationCode.count({ where: codeKept }),
    client.refreshToken.count({ where: lasting }),
    client.refreshToken.count({ where: { ...lasting, OR: [{ rotatedAt: { not: null } }, { revokedAt: { not: null } }] } }),
    // A sign-out that goes through is recorded (user.signed_out), and a refused call is told to its app's owner
    // (request.failed): neither is a refused request changing anything.
    client.revokedToken.count({ where: lasting }),
    client.signingKey.count(),
    client.auditEvent.count({ where: { type: { notIn: ["user.signed_out", "request.failed"] } } }),
  ]);
  return counts.join(",");
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

async function expectJsonError(response: Response, context: string) {
  expect(response.headers.get("content-type"), context).toContain("application/json");
  const body = (await response.json()) as { error?: unknown };
  expect(typeof body.error === "string" && /^[a-z_]+$/.test(body.error), context).toBe(true);
}

describe("fuzzing the protocol endpoints", () => {
  it.each(["/oauth/token", "/oauth/revoke", "/oauth/introspect", "/oauth/userinfo"])(
    "POST %s: no 5xx, JSON errors, nothing written",
    async (path) => {
      const app = await newClient();
      const confidential = await newClient({ isConfidential: true });
      const auth = fc.constantFrom<Record<string, string>>(
        {},
        basic(confidential.clientId, confidential.clientSecret!),
        basic(confidential.clientId, "wrong"),
        { authorization: "Basic !!!" },
        { authorization: "Bearer x.y.z" },
        { authorization: `Basic ${Buffer.from(`${app.clientId}:`).toString("base64")}` },
      );
      await settle();
      const before = await rowCounts();
      await fc.assert(
        fc.asyncProperty(request, auth, async ({ fields, body, contentType }, headers) => {
          const response = await fetch(`${baseUrl()}${path}`, {
            method: "POST",
            body,
            headers: { ...(contentType ? { "content-type": contentType } : {}), ...headers },
            redirect: "manual",
          });
          const context = `${path} ${JSON.stringify(fields)} ${contentType}`;
          expect(response.status, context).toBeLessThan(500);
          expect(response.status >= 300 && response.status < 400, context).toBe(false);
          expect(response.headers.get("cache-control"), context).toBe("no-store");
          if (response.status >= 400) await expectJsonError(response, context);
          else await response.arrayBuffer();
        }),
        RUNS,
      );
      await settle();
      expect(await rowCounts()).toBe(before);
    },
  );

  it("GET and POST /oauth/authorize: no 5xx, an error page or a redirect only to the portal or a registered URI", async () => {
    const app = await newClient();
    const person = await newUser();
    const signedIn = new HttpSession(freshAddress());
    await signedIn.signIn(person.email, person.password);
    const withApp = params.map(
      (fields) => [["client_id", app.clientId], ["redirect_uri", app.redirectUri], ...fields] as Array<[string, string]>,
    );
    const allowed = (location: string) => {
      const url = new URL(location, baseUrl());
      return url.origin === new URL(baseUrl()).origin || location.startsWith(app.redirectUri);
    };
    await settle();
    const codesBefore = await db().authorizationCode.count();
    await fc.assert(
      fc.asyncProperty(fc.oneof(params, withApp), fc.boolean(), fc.boolean(), async (fields, usePost, asSignedIn) => {
        const browser = asSignedIn ? signedIn : new HttpSession();
        const query = new URLSearchParams(fields).toString();
        const response = usePost
          ? await browser.request("/oauth/authorize", {
              method: "POST",
              body: query,
              headers: { "content-type": "application/x-www-form-urlencoded" },
            })
          : await browser.get(`/oauth/authorize?${query}`);
        const context = `${usePost ? "POST" : "GET"} ${query}`;
        expect(response.status, context).toBeLessThan(500);
        if (response.status >= 300 && response.status < 400) expect(allowed(response.headers.get("location") ?? ""), context).toBe(true);
        else expect(response.headers.get("content-type"), context).toContain("text/html");
        await response.arrayBuffer();
      }),
      RUNS,
    );
    // The app is not first-party and nobody consented: no request may have produced a code.
    expect(await db().authorizationCode.count()).toBe(codesBefore);
  });

  it("GET /api/v1/me, discovery and the JWKS: no 5xx for any header or query", async () => {
    const paths = fc.constantFrom(
      "/api/v1/me",
      "/api/v1/apps",
      "/.well-known/openid-configuration",
      "/.well-known/jwks.json",
      "/oauth/userinfo",
    );
    const authorization = fc.oneof(
      nastyString.map((value) => `Bearer ${value}`),
      nastyString,
      fc.constant("Bearer a.b.c"),
    );
    await fc.assert(
      fc.asyncProperty(paths, params, authorization, async (path, fields, header) => {
        // Only what HTTP can carry in a header (fetch refuses control characters).
        const headers: Record<string, string> = /^[\t\x20-\x7e\x80-\xff]*$/.test(header) ? { authorization: header.trim() } : {};
        const response = await fetch(`${baseUrl()}${path}?${new URLSearchParams(fields)}`, { headers, redirect: "manual" });
        expect(response.status, `${path} ${header}`).toBeLessThan(500);
        if (response.status === 401) expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
        await response.arrayBuffer();
      }),
      RUNS,
    );
  });
});

describe("a NUL character, which PostgreSQL cannot store (found by the fuzzer)", () => {
  it("is refused or found nowhere, never a 500", async () => {
    const app = await newClient();
    const authorize = await new HttpSession().get(`/oauth/authorize?client_id=%00&response_type=code`);
    expect(authorize.status).toBe(400);
    const withState = await new HttpSession().get(
      `/oauth/authorize?client_id=${app.clientId}&redirect_uri=${encodeURIComponent(app.redirectUri)}&response_type=code&state=a%00b`,
    );
    expect(withState.status).toBe(302);
    expect(new URL(withState.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
    const forms: Record<string, string>[] = [
      { grant_type: "client_credentials", client_id: "\u0000" },
      { grant_type: "authorization_code", client_id: app.clientId, code: "a\u0000" },
    ];
    for (const form of forms) {
      const response = await fetch(`${baseUrl()}/oauth/token`, {
        method: "POST",
        body: new URLSearchParams(form),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(response.status).toBeLessThan(500);
      await expectJsonError(response, JSON.stringify(form));
    }
    const basicNul = await fetch(`${baseUrl()}/oauth/token`, {
      method: "POST",
      body: "grant_type=client_credentials",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from("a\u0000b:secret").toString("base64")}`,
      },
    });
    expect(basicNul.status).toBe(401);
    const browser = new HttpSession({ ...freshAddress(), accept: "application/json" });
    const csrf_token = await browser.csrfTokenFrom("/sign-in");
    const signIn = await browser.post("/auth/sign-in", { csrf_token, email: "a\u0000@example.com", password: "x" });
    expect(signIn.status).toBeLessThan(500);
  });
});

describe("fuzzing the form posts", () => {
  it.each([
    "/auth/sign-in",
    "/auth/sign-up",
    "/auth/consent",
    "/auth/sign-out",
    "/admin/users/status",
    "/admin/apps/flags",
    "/admin/scopes/save",
  ])("POST %s: no 5xx, and a refused post writes nothing", async (path) => {
    const person = await newUser();
    const anonymous = new HttpSession(freshAddress());
    const csrf = await anonymous.csrfTokenFrom("/sign-in");
    const signedIn = new HttpSession(freshAddress());
    await signedIn.signIn(person.email, person.password);
    const signedInCsrf = await signedIn.csrfTokenFrom("/");
    const field = fc.tuple(fc.oneof(fc.constantFrom(...FORM_FIELDS), fc.string({ maxLength: 10 })), nastyString);
    await settle();
    const usersBefore = await db().user.count();
    const before = await rowCounts();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(field, { maxLength: 6 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (fields, withToken, asSignedIn, json) => {
          const browser = asSignedIn ? signedIn : anonymous;
          const form = new URLSearchParams(fields);
          if (withToken) form.set("csrf_token", asSignedIn ? signedInCsrf : csrf);
          const response = await browser.request(path, {
            method: "POST",
            body: form,
            headers: json ? { accept: "application/json" } : {},
          });
          const context = `${path} ${form.toString().slice(0, 300)}`;
          expect(response.status, context).toBeLessThan(500);
          if (
            path === "/auth/sign-up" &&
            (response.status === 200 || response.status === 303) &&
            !(response.headers.get("location") ?? "").includes("error=")
          )
            accepted += 1;
          await response.arrayBuffer();
        },
      ),
      RUNS,
    );
    await settle();
    if (path === "/auth/sign-up") {
      expect(await db().user.count()).toBe(usersBefore + accepted);
    } else if (path !== "/auth/sign-in") {
      // A signed-in person who is not an admin changes nothing through the admin posts, and consent needs a real pending request.
      expect(await rowCounts()).toBe(before);
    }
  });
});
