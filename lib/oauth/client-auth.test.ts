import { describe, expect, it } from "vitest";
import { acceptsAuthMethod, AUTH_METHODS, InvalidClient, presentedCredentials, rfcAuthMethod } from "./client-auth";
import { OAuthError } from "./errors";

const basicHeader = (raw: string) => new Headers({ authorization: `Basic ${Buffer.from(raw).toString("base64")}` });

describe("presentedCredentials", () => {
  it("form-url-decodes the id and secret inside Basic credentials (RFC 6749 §2.3.1)", () => {
    expect(presentedCredentials(basicHeader("my+app%3Aone:s%2Bcr+t"), new Map())).toEqual({
      clientId: "my app:one",
      secret: "s+cr t",
      method: "client_secret_basic",
    });
  });

  it("reads client_secret_post and none from the body", () => {
    expect(
      presentedCredentials(
        new Headers(),
        new Map([
          ["client_id", "a"],
          ["client_secret", "s"],
        ]),
      ),
    ).toEqual({ clientId: "a", secret: "s", method: "client_secret_post" });
    expect(presentedCredentials(new Headers(), new Map([["client_id", "a"]]))).toEqual({ clientId: "a", method: "none" });
  });

  it("refuses two methods at once, and a body client_id that contradicts Basic", () => {
    expect(() => presentedCredentials(basicHeader("a:s"), new Map([["client_secret", "s"]]))).toThrow(OAuthError);
    const mismatch = (() => {
      try {
        presentedCredentials(basicHeader("a:s"), new Map([["client_id", "b"]]));
      } catch (error) {
        return error;
      }
    })();
    expect(mismatch).toBeInstanceOf(InvalidClient);
    expect(mismatch).toMatchObject({ status: 401, usedBasic: true });
  });

  it("refuses malformed Basic credentials and a request with no client at all", () => {
    for (const raw of ["no-colon", ":secret-without-id", "bad%zzencoding:x"]) {
      expect(() => presentedCredentials(basicHeader(raw), new Map())).toThrow(InvalidClient);
    }
    expect(() => presentedCredentials(new Headers(), new Map())).toThrow(InvalidClient);
  });
});

describe("acceptsAuthMethod", () => {
  it("takes a default app's secret by Basic or in the body, nothing else", () => {
    expect(AUTH_METHODS.filter((method) => acceptsAuthMethod("client_secret", method))).toEqual([
      "client_secret_basic",
      "client_secret_post",
    ]);
  });

  it("takes a pinned app's method only", () => {
    for (const registered of AUTH_METHODS)
      expect(AUTH_METHODS.filter((method) => acceptsAuthMethod(registered, method))).toEqual([registered]);
  });

  it("reports the default under RFC 7591's default name, and a pinned method as it is", () => {
    expect(rfcAuthMethod("client_secret")).toBe("client_secret_basic");
    expect(rfcAuthMethod("client_secret_post")).toBe("client_secret_post");
  });
});
