import { describe, expect, it } from "vitest";
import { checkConsent } from "./consent";

const base = { skipForFirstParty: false, grantedScopes: null, requestedScopes: ["openid", "email"], promptConsent: false };

describe("checkConsent", () => {
  it("asks the first time, listing every requested scope as new", () => {
    expect(checkConsent(base)).toEqual({ needed: true, newScopes: ["openid", "email"] });
  });

  it("asks the first time even for no scopes at all", () => {
    expect(checkConsent({ ...base, requestedScopes: [] })).toEqual({ needed: true, newScopes: [] });
  });

  it("skips the screen when the grant covers the same or fewer scopes", () => {
    expect(checkConsent({ ...base, grantedScopes: ["email", "openid"] })).toEqual({ needed: false, skipped: false });
    expect(checkConsent({ ...base, grantedScopes: ["openid", "email", "profile"], requestedScopes: ["openid"] })).toEqual({
      needed: false,
      skipped: false,
    });
  });

  it("asks again for a new scope, listing only what is new", () => {
    expect(checkConsent({ ...base, grantedScopes: ["openid"] })).toEqual({ needed: true, newScopes: ["email"] });
  });

  it("always asks with prompt=consent", () => {
    expect(checkConsent({ ...base, grantedScopes: ["openid", "email"], promptConsent: true })).toEqual({ needed: true, newScopes: [] });
    expect(checkConsent({ ...base, skipForFirstParty: true, promptConsent: true }).needed).toBe(true);
  });

  it("never asks a first-party app for an API that allows skipping consent, otherwise", () => {
    expect(checkConsent({ ...base, skipForFirstParty: true })).toEqual({ needed: false, skipped: true });
  });
});
