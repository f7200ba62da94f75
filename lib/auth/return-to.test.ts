import { describe, expect, it } from "vitest";
import { safeReturnTo } from "./return-to";

describe("safeReturnTo", () => {
  it.each(["/", "/account", "/oauth/authorize?client_id=a&state=b", "/a/b#frag"])("keeps the same-origin path %s", (path) => {
    expect(safeReturnTo(path)).toBe(path);
  });

  it.each([
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "http:/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "evil.example",
    "",
  ])("replaces %j with the fallback", (value) => {
    expect(safeReturnTo(value, "/home")).toBe("/home");
  });

  it("ignores values that are not strings", () => {
    expect(safeReturnTo(undefined)).toBe("/");
    expect(safeReturnTo(["/a", "/b"])).toBe("/");
  });
});
