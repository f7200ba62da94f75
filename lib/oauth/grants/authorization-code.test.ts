import { describe, expect, it } from "vitest";
import type { AuthorizationCode } from "@/lib/generated/prisma/client";
import { s256Challenge } from "../pkce";
import { codeBindingProblem } from "./authorization-code";

const verifier = "v".repeat(43);
const code = {
  clientId: "app",
  redirectUri: "https://app.example/cb",
  redirectUriSent: true,
  codeChallenge: s256Challenge(verifier),
  codeChallengeMethod: "S256",
  expiresAt: new Date(Date.now() + 60_000),
} as AuthorizationCode;

const problem = (overrides: Partial<AuthorizationCode> = {}, request: { redirectUri?: string; codeVerifier?: string } = {}) =>
  codeBindingProblem({ ...code, ...overrides }, { redirectUri: "https://app.example/cb", codeVerifier: verifier, ...request });

describe("codeBindingProblem", () => {
  it("accepts the redirect URI and verifier the code was issued for", () => {
    expect(problem()).toBeNull();
  });

  it("refuses an expired code, another or a missing redirect_uri", () => {
    expect(problem({ expiresAt: new Date(Date.now() - 1) })).toMatch(/expired/);
    expect(problem({}, { redirectUri: "https://app.example/cb/" })).toMatch(/redirect_uri/);
    expect(problem({}, { redirectUri: undefined })).toMatch(/redirect_uri/);
  });

  it("lets redirect_uri be left out only when the authorization request left it out too", () => {
    expect(problem({ redirectUriSent: false }, { redirectUri: undefined })).toBeNull();
    expect(problem({ redirectUriSent: false }, { redirectUri: "https://app.example/other" })).toMatch(/redirect_uri/);
  });

  it("refuses a wrong or missing verifier, and a verifier for a code without a challenge", () => {
    expect(problem({}, { codeVerifier: "w".repeat(43) })).toMatch(/does not match/);
    expect(problem({}, { codeVerifier: undefined })).toMatch(/code_verifier is missing/);
    expect(problem({ codeChallenge: null, codeChallengeMethod: null })).toMatch(/without a code_challenge/);
    expect(problem({ codeChallenge: null, codeChallengeMethod: null }, { codeVerifier: undefined })).toBeNull();
  });
});
