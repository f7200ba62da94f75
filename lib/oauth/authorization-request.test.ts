import { describe, expect, it } from "vitest";
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
  grantTypes: "authorization_code refresh_token",
  scopes: "openid profile email",
  redirectUris: ["https://app.example/cb"],
};

const policy: AuthorizationPolicy = {
  requirePkce: true,
  audiences: [API],
  scopeKinds: new Map([
    ["openid", "user"],
    ["profile", "user"],
    ["email", "user"],
    ["reports.export", "client"],
  ]),
};

const base = {
  response_type: "code",
  client_id: "app",
  redirect_uri: "https://app.example/cb",
  scope: "openid profile",
  state: "xyz",
  code_challenge: CHALLENGE,
  code_challenge_method: "S256",
};

function validate(overrides: Record<string, string | readonly string[] | null> = {}, options: { client?: Partial<AuthorizationClient> | null; policy?: Partial<AuthorizationPolicy> } = {}) {
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
        audience: API,
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
      expect(problemOf(validate({ redirect_uri: "https://evil.example/cb", response_type: "token", scope: "admin" }))).toBe("redirect_uri_mismatch");
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
      ["invalid_target", { audience: API, resource: "https://other.example/api" }],
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
    it("lets a confidential client skip PKCE only when the portal does not require it", () => {
      const withoutPkce = { code_challenge: null, code_challenge_method: null };
      expect(errorOf(validate(withoutPkce, { client: { isConfidential: true } }))).toBe("invalid_request");
      expect(validate(withoutPkce, { client: { isConfidential: true }, policy: { requirePkce: false } }).outcome).toBe("valid");
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

  it("accepts resource or audience naming a registered API", () => {
    expect(validate({ resource: API })).toMatchObject({ request: { audience: API } });
    expect(validate({ audience: API, resource: API })).toMatchObject({ request: { audience: API } });
  });
});
