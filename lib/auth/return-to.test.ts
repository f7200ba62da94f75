import { describe, expect, it } from "vitest";
import { safeReturnTo } from "./return-to";

const BASE = "http://portal.invalid";

describe("safeReturnTo", () => {
  it.each(["/", "/account", "/oauth/authorize?client_id=a&state=b", "/a/b#frag", "/a/./b", "/dashboard/apps?x=//y"])(
    "keeps the same-origin path %s",
    (path) => {
      expect(new URL(safeReturnTo(path), BASE).href).toBe(new URL(path, BASE).href);
    },
  );

  it("normalizes dot segments that stay on the portal", () => {
    expect(safeReturnTo("/a/../b")).toBe("/b");
    expect(safeReturnTo("/./account")).toBe("/account");
  });

  it.each([
    "//x",
    "/\\x",
    "/.//x",
    "/..//x",
    "/./../..//x",
    "/%2F%2Fx",
    "/%2f/x",
    "/%5Cx",
    "\\\\x",
    "http:x",
    "https://x",
    "http:/x",
    "HTTPS://x",
    "javascript:alert(1)",
    "/\t/x",
    "/\r/x",
    "/\n/x",
    "\t//x",
    " /x",
    "  //x",
    "x",
    "",
  ])("replaces %j with the fallback", (value) => {
    expect(safeReturnTo(value, "/home")).toBe("/home");
  });

  it("lets out nothing but a path whose origin is the portal's", () => {
    const tricky = ["/.//x", "/..//x", "//x", "/%2F%2Fx", "/\\x", "https://x", " /x", "/\t/x"];
    for (const value of tricky) {
      const result = safeReturnTo(value);
      expect(result.startsWith("/") && !result.startsWith("//")).toBe(true);
      expect(new URL(result, BASE).origin).toBe(BASE);
    }
  });

  it("ignores values that are not strings", () => {
    expect(safeReturnTo(undefined)).toBe("/");
    expect(safeReturnTo(["/a", "/b"])).toBe("/");
  });
});
