import { describe, expect, it } from "vitest";
import type { ResourceApi } from "./apis";
import { validateAuthorizationRequest, type AuthorizationClient, type AuthorizationPolicy } from "./authorization-request";
import { s256Challenge } from "./pkce";

const CHALLENGE = s256Challenge("a".repeat(43));
const API = "https://portal.example/api/v1";

const client: AuthorizationClient = {
  id: "app",
  name: "App",
  logoUrl: null,
  ownerId: null,
  disabledAt: null,
  isConfidential: false,
  isFirstParty: false,
  allowPlainPkce: false,
  requirePkce: false,
  requireOfflineAccess: false,
  applicationType: "web",
  registeredVia: null,
  requirePushedRequests: false,
  grantTypes: "authorization_code refresh_token",
  scopes: "openid profile email",
  anyUserScope: false,
  redirectUris: ["https://app.example/cb"],
};

function api(identifier: string, scopes: [string, string][]): ResourceApi {
  return {
    id: identifier,
    name: identifier,
    identifier,
    isPortal: identifier === API,
    ownerId: null,
    accessTokenTtl: 3600,
    allowSkipConsent: false,
    allowOfflineAccess: true,
    offlineAccessScopeRequired: false,
    scopes: new Map(scopes.map(([name, tokenKind]) => [name, { description: name, tokenKind }])),
  };
}

const IDENTITY: [string, string][] = [
  ["openid", "user"],
  ["profile", "user"],
  ["email", "user"],
];
const portalApi = api(API, [...IDENTITY, ["reports.export", "client"]]);
const appointmentsApi = api("appointments:api", [...IDENTITY, ["appointments", "any"]]);

const policy: AuthorizationPolicy = { requirePkce: true, namedApi: null, defaultApi: portalApi, pushed: false };

const base = {
  response_type: "code",
  client_id: "app",
  redirect_uri: "https://app.example/cb",
  scope: "openid profile",
  state: "xyz",
  code_challenge: CHALLENGE,
  code_challenge_method: "S256",
};

function validate(
  overrides: Record<string, string | readonly string[] | null> = {},
  options: { client?: Partial<AuthorizationClient> | null; policy?: Partial<AuthorizationPolicy> } = {},
) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...base, ...overrides })) {
    if (value === null) continue;
    for (const item of typeof value === "string" ? [value] : value) params.append(name, item);
  }
  const theClient = options.client === null ? null : { ...client, ...options.client };
  return validateAuthorizationRequest(params, theClient, { ...policy, ...options.policy });
}

function errorOf(result: ReturnType<typeof validate>) {
  if (result.outcome !== "error_redirect") throw new Error(`expected an error redirect, got ${result.outcome}`);
  return result.error.code;
}

function problemOf(result: ReturnType<typeof validate>) {
  if (result.outcome !== "error_page") throw new Error(`expected an error page, got ${result.outcome}`);
  return result.problem.kind;
}

describe("validateAuthorizationRequest", () => {
  it("accepts a complete request and keeps what the code must be bound to", () => {
    const result = validate({ nonce: "n-1", login_hint: "a@b.example", prompt: "consent", max_age: "60" });
    expect(result).toMatchObject({
      outcome: "valid",
      request: {
        redirectUri: "https://app.example/cb",
        redirectUriSent: true,
        scopes: ["openid", "profile"],
        state: "xyz",
        codeChallenge: CHALLENGE,
        codeChallengeMethod: "S256",
        nonce: "n-1",
        api: { identifier: API },
        prompt: ["consent"],
        maxAge: 60,
        loginHint: "a@b.example",
      },
    });
  });

  describe("problems shown on the portal, never redirected", () => {
    it.each([
      ["missing_client_id", { client_id: null }, {}],
      ["missing_client_id", { client_id: "" }, {}],
      ["duplicate_client_id", { client_id: ["app", "app"] }, {}],
      ["unknown_client", {}, { client: null }],
      ["client_disabled", {}, { client: { disabledAt: new Date() } }],
      ["redirect_uri_mismatch", { redirect_uri: "https://app.example/cb/" }, {}],
      ["redirect_uri_mismatch", { redirect_uri: "https://evil.example/cb" }, {}],
      ["duplicate_redirect_uri", { redirect_uri: ["https://app.example/cb", "https://app.example/cb"] }, {}],
      ["missing_redirect_uri", { redirect_uri: null }, { client: { redirectUris: ["https://app.example/cb", "https://app.example/cb2"] } }],
    ] as const)("%s", (kind, overrides, options) => {
      expect(problemOf(validate(overrides, options as never))).toBe(kind);
    });

    it("checks the redirect URI before anything else about the request", () => {
      expect(problemOf(validate({ redirect_uri: "https://evil.example/cb", response_type: "token", scope: "admin" }))).toBe(
        "redirect_uri_mismatch",
      );
    });
  });

  it("defaults a missing redirect_uri to the single registered one, and remembers it was not sent", () => {
    const result = validate({ redirect_uri: null });
    expect(result).toMatchObject({ outcome: "valid", request: { redirectUri: "https://app.example/cb", redirectUriSent: false } });
  });

  describe("errors redirected to the client", () => {
    it.each([
      ["invalid_request", { response_type: null }],
      ["unsupported_response_type", { response_type: "token" }],
      ["unsupported_response_type", { response_type: "code id_token" }],
      ["invalid_request", { state: ["a", "b"] }],
      ["invalid_request", { scope: ["openid", "profile"] }],
      ["invalid_scope", { scope: "openid admin" }],
      ["invalid_scope", { scope: "reports.export" }],
      ["invalid_request", { code_challenge: null, code_challenge_method: null }],
      ["invalid_request", { code_challenge: null }],
      ["invalid_request", { code_challenge_method: "S512" }],
      ["invalid_request", { code_challenge_method: "plain", code_challenge: "a".repeat(43) }],
      ["invalid_request", { code_challenge_method: null, code_challenge: "a".repeat(43) }],
      ["invalid_request", { code_challenge: "too-short" }],
      ["invalid_request", { prompt: "none login" }],
      ["invalid_request", { prompt: "select_account" }],
      ["invalid_request", { max_age: "-1" }],
      ["invalid_request", { response_mode: "fragment" }],
      ["request_not_supported", { request: "eyJ..." }],
      ["request_uri_not_supported", { request_uri: "urn:x" }],
      ["invalid_target", { audience: "https://other.example/api" }],
      ["invalid_target", { resource: ["https://a.example", "https://b.example"] }],
      ["invalid_target", { audience: "https://a.example", resource: "https://b.example" }],
    ] as const)("%s for %j", (code, overrides) => {
      expect(errorOf(validate(overrides as never))).toBe(code);
    });

    it("unauthorized_client when the client may not use the authorization code grant", () => {
      expect(errorOf(validate({}, { client: { grantTypes: "client_credentials", isConfidential: true } }))).toBe("unauthorized_client");
    });

    it("echoes the state and uses the verified redirect URI", () => {
      expect(validate({ response_type: "token" })).toMatchObject({ redirectUri: "https://app.example/cb", state: "xyz" });
    });
  });

  it("treats empty values as absent and ignores unknown parameters", () => {
    const result = validate({ nonce: "", prompt: "", foo: "bar" });
    expect(result).toMatchObject({ outcome: "valid", request: { nonce: undefined, prompt: [] } });
  });

  it("ignores scope order and repeated scope tokens", () => {
    expect(validate({ scope: "profile  openid profile" })).toMatchObject({ outcome: "valid", request: { scopes: ["profile", "openid"] } });
  });

  describe("PKCE policy", () => {
    it("lets a confidential client skip PKCE unless it or the portal requires it; a public client never", () => {
      const withoutPkce = { code_challenge: null, code_challenge_method: null };
      const confidential = { isConfidential: true };
      expect(errorOf(validate(withoutPkce, { client: confidential }))).toBe("invalid_request");
      expect(validate(withoutPkce, { client: confidential, policy: { requirePkce: false } }).outcome).toBe("valid");
      expect(errorOf(validate(withoutPkce, { client: { ...confidential, requirePkce: true }, policy: { requirePkce: false } }))).toBe(
        "invalid_request",
      );
      expect(errorOf(validate(withoutPkce, { policy: { requirePkce: false } }))).toBe("invalid_request");
    });

    it("accepts plain, with or without the method, for a client configured for it", () => {
      const plain = { allowPlainPkce: true };
      expect(validate({ code_challenge: "a".repeat(43), code_challenge_method: "plain" }, { client: plain })).toMatchObject({
        outcome: "valid",
        request: { codeChallengeMethod: "plain" },
      });
      expect(validate({ code_challenge: "a".repeat(43), code_challenge_method: null }, { client: plain })).toMatchObject({
        request: { codeChallengeMethod: "plain" },
      });
    });
  });

  describe("the API the token is for", () => {
    const named = { policy: { namedApi: appointmentsApi }, client: { scopes: "openid profile appointments" } };

    it("is the portal's own when the request names none", () => {
      expect(validate()).toMatchObject({ request: { api: { identifier: API } } });
    });

    it("is the one named by resource or audience, with its scopes and the identity scopes", () => {
      const namings: Record<string, string>[] = [
        { resource: "appointments:api" },
        { audience: "appointments:api" },
        { audience: "appointments:api", resource: "appointments:api" },
      ];
      for (const params of namings) {
        expect(validate({ ...params, scope: "openid appointments" }, named)).toMatchObject({
          request: { api: { identifier: "appointments:api" }, scopes: ["openid", "appointments"] },
        });
      }
    });

    it("refuses a scope the API does not define, even one another API defines and the app may request", () => {
      expect(
        errorOf(
          validate({ audience: "appointments:api", scope: "reports.export" }, { ...named, client: { scopes: "openid reports.export" } }),
        ),
      ).toBe("invalid_scope");
      expect(errorOf(validate({ scope: "appointments" }, named))).toBe("invalid_scope");
    });

    it("refuses an API that is not registered with invalid_target", () => {
      expect(errorOf(validate({ audience: "unknown:api" }))).toBe("invalid_target");
    });
  });
});
