import { describe, expect, it } from "vitest";
import { csrfTokenForNonce, csrfValid } from "./csrf";

const nonce = "nonce-from-cookie";
const token = csrfTokenForNonce(nonce);
const headers = (values: Record<string, string> = {}) => new Headers(values);
const portalOrigin = () => new URL(process.env.ISSUER_URL!).origin;

describe("csrfValid", () => {
  it("accepts the token made from the cookie's nonce on a same-origin post", () => {
    expect(csrfValid({ headers: headers({ origin: portalOrigin() }), cookieNonce: nonce, formToken: token })).toBe(true);
    expect(csrfValid({ headers: headers(), cookieNonce: nonce, formToken: token })).toBe(true);
  });

  it("refuses a foreign Origin even with a valid token", () => {
    expect(csrfValid({ headers: headers({ origin: "https://evil.example" }), cookieNonce: nonce, formToken: token })).toBe(false);
  });

  it("refuses a cross-site fetch when the browser sends no Origin", () => {
    expect(csrfValid({ headers: headers({ "sec-fetch-site": "cross-site" }), cookieNonce: nonce, formToken: token })).toBe(false);
  });

  it("reads Sec-Fetch-Site when no-referrer makes the browser send Origin: null", () => {
    const sameOrigin = headers({ origin: "null", "sec-fetch-site": "same-origin" });
    const crossSite = headers({ origin: "null", "sec-fetch-site": "cross-site" });
    expect(csrfValid({ headers: sameOrigin, cookieNonce: nonce, formToken: token })).toBe(true);
    expect(csrfValid({ headers: crossSite, cookieNonce: nonce, formToken: token })).toBe(false);
  });

  it("refuses a missing cookie, a missing token and a token for another nonce", () => {
    expect(csrfValid({ headers: headers(), cookieNonce: undefined, formToken: token })).toBe(false);
    expect(csrfValid({ headers: headers(), cookieNonce: nonce, formToken: null })).toBe(false);
    expect(csrfValid({ headers: headers(), cookieNonce: "planted-nonce", formToken: "planted-nonce" })).toBe(false);
    expect(csrfValid({ headers: headers(), cookieNonce: nonce, formToken: csrfTokenForNonce("other") })).toBe(false);
  });
});
