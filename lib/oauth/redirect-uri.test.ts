import { describe, expect, it } from "vitest";
import { checkRedirectUri, closestRedirectUri, markDifference, matchRedirectUri, redirectWithParams } from "./redirect-uri";

describe("checkRedirectUri", () => {
  it.each([
    "https://app.example.com/callback",
    "https://app.example.com/cb?tenant=1",
    "http://localhost:8080/callback",
    "http://127.0.0.1/callback",
    "http://[::1]:3000/cb",
  ])("accepts %s", (uri) => {
    expect(checkRedirectUri(uri)).toEqual({ ok: true, uri });
  });

  it("accepts a private-use scheme for a native app only", () => {
    expect(checkRedirectUri("com.example.app:/callback", "native")).toEqual({ ok: true, uri: "com.example.app:/callback" });
    expect(checkRedirectUri("com.example.app:/callback", "web")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("native apps"),
    });
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

describe("matchRedirectUri", () => {
  const registered = ["https://a.ex/cb"];

  it("matches the exact registered string", () => {
    expect(matchRedirectUri("https://a.ex/cb", registered)).toBe("https://a.ex/cb");
  });

  // Security checklist item 1.
  it.each([
    "https://a.ex/cb/",
    "https://a.ex/CB",
    "https://A.ex/cb",
    "https://a.ex/cb?x",
    "https://a.ex/cb/..;/x",
    "https://a.ex/cb%252f..",
    "https://a.ex.evil/cb",
    "https://a.ex@evil/cb",
    "https://a.ex:443/cb",
    "http://a.ex/cb",
    "https://a.ex/cb#x",
  ])("refuses %s for a registered https://a.ex/cb", (requested) => {
    expect(matchRedirectUri(requested, registered)).toBeNull();
  });

  it("lets only the port vary for a native app's loopback redirect URIs (RFC 8252 §7.3)", () => {
    const loopback = ["http://127.0.0.1/callback", "http://localhost:8080/cb", "http://[::1]/cb"];
    const native = (requested: string) => matchRedirectUri(requested, loopback, "native");
    expect(native("http://127.0.0.1:51234/callback")).toBe("http://127.0.0.1:51234/callback");
    expect(native("http://localhost:9999/cb")).toBe("http://localhost:9999/cb");
    expect(native("http://[::1]:4000/cb")).toBe("http://[::1]:4000/cb");
    expect(native("http://127.0.0.1:51234/callback/x")).toBeNull();
    expect(native("http://localhost:9999/cb?x=1")).toBeNull();
    expect(native("http://127.0.0.1:51234/cb")).toBeNull();
    expect(native("http://localhost.evil:80/cb")).toBeNull();
  });

  it("compares a web app's loopback redirect URIs exactly, port included", () => {
    expect(matchRedirectUri("http://localhost:8080/cb", ["http://localhost:8080/cb"], "web")).toBe("http://localhost:8080/cb");
    expect(matchRedirectUri("http://localhost:9999/cb", ["http://localhost:8080/cb"], "web")).toBeNull();
  });
});

describe("redirectWithParams", () => {
  it("keeps the redirect URI's own query and leaves out absent values", () => {
    expect(redirectWithParams("https://a.ex/cb?tenant=1", { code: "abc", state: undefined, iss: "https://portal" })).toBe(
      "https://a.ex/cb?tenant=1&code=abc&iss=https%3A%2F%2Fportal",
    );
    expect(redirectWithParams("com.example.app:/cb", { state: "a b&c" })).toBe("com.example.app:/cb?state=a+b%26c");
  });
});

describe("markDifference", () => {
  it("marks the part between the shared start and end", () => {
    expect(markDifference("https://a.ex/callback/", "https://a.ex/callback")).toEqual([
      { text: "https://a.ex/callback", differs: false },
      { text: "/", differs: true },
    ]);
    expect(markDifference("https://b.ex/cb", "https://a.ex/cb")).toEqual([
      { text: "https://", differs: false },
      { text: "b", differs: true },
      { text: ".ex/cb", differs: false },
    ]);
    expect(markDifference("same", "same")).toEqual([{ text: "same", differs: false }]);
  });

  it("picks the registered URI closest to the requested one", () => {
    expect(closestRedirectUri("https://a.ex/cb/", ["https://z.ex/other", "https://a.ex/cb"])).toBe("https://a.ex/cb");
  });
});
