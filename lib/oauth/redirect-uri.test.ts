import { describe, expect, it } from "vitest";
import { checkRedirectUri } from "./redirect-uri";

describe("checkRedirectUri", () => {
  it.each([
    "https://app.example.com/callback",
    "https://app.example.com/cb?tenant=1",
    "http://localhost:8080/callback",
    "http://127.0.0.1/callback",
    "http://[::1]:3000/cb",
    "com.example.app:/callback",
  ])("accepts %s", (uri) => {
    expect(checkRedirectUri(uri)).toEqual({ ok: true, uri });
  });

  it.each([
    ["http://app.example.com/callback", "Use https"],
    ["https://app.example.com/cb#frag", "fragment"],
    ["https://*.example.com/cb", "Wildcards"],
    ["https://app.example.com/*", "Wildcards"],
    ["javascript:alert(1)", "javascript:"],
    ["data:text/html,hi", "data:"],
    ["/callback", "absolute URI"],
    ["https://user:pw@app.example.com/cb", "user name"],
    ["myapp:/callback", "private-use scheme"],
    ["https://app.example.com/c b", "spaces"],
    ["", "Enter a redirect URI"],
  ])("refuses %s", (uri, reason) => {
    const result = checkRedirectUri(uri);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});
