import { describe, expect, it } from "vitest";
import { isValidCodeChallenge, isValidCodeVerifier, s256Challenge, verifierMatchesChallenge } from "./pkce";

// RFC 7636 Appendix B.
const VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

describe("PKCE", () => {
  it("computes the RFC 7636 example S256 challenge", () => {
    expect(s256Challenge(VERIFIER)).toBe(CHALLENGE);
  });

  it("matches a verifier to its S256 challenge and refuses another", () => {
    expect(verifierMatchesChallenge(VERIFIER, CHALLENGE, "S256")).toBe(true);
    expect(verifierMatchesChallenge(`${VERIFIER.slice(0, -1)}Y`, CHALLENGE, "S256")).toBe(false);
  });

  it("compares plain challenges verbatim", () => {
    expect(verifierMatchesChallenge(VERIFIER, VERIFIER, "plain")).toBe(true);
    expect(verifierMatchesChallenge(VERIFIER, CHALLENGE, "plain")).toBe(false);
  });

  it("accepts verifiers of 43 to 128 unreserved characters only", () => {
    expect(isValidCodeVerifier("a".repeat(43))).toBe(true);
    expect(isValidCodeVerifier("a".repeat(128))).toBe(true);
    expect(isValidCodeVerifier("a".repeat(42))).toBe(false);
    expect(isValidCodeVerifier("a".repeat(129))).toBe(false);
    expect(isValidCodeVerifier(`${"a".repeat(42)}+`)).toBe(false);
    expect(verifierMatchesChallenge("short", "short", "plain")).toBe(false);
  });

  it("requires S256 challenges to be 43 base64url characters", () => {
    expect(isValidCodeChallenge(CHALLENGE, "S256")).toBe(true);
    expect(isValidCodeChallenge(`${CHALLENGE}=`, "S256")).toBe(false);
    expect(isValidCodeChallenge(CHALLENGE.slice(1), "S256")).toBe(false);
    expect(isValidCodeChallenge("a".repeat(100), "plain")).toBe(true);
  });
});
