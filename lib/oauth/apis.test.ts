import { describe, expect, it } from "vitest";
import { issuesRefreshToken } from "./apis";

describe("issuesRefreshToken", () => {
  const app = { grantTypes: "authorization_code refresh_token", requireOfflineAccess: false };
  const auth0Like = { allowOfflineAccess: true, offlineAccessScopeRequired: true };

  it("needs the app's refresh token grant and an API that allows offline access", () => {
    expect(issuesRefreshToken({ ...app, grantTypes: "authorization_code" }, auth0Like, ["offline_access"])).toBe(false);
    expect(issuesRefreshToken(app, { ...auth0Like, allowOfflineAccess: false }, ["offline_access"])).toBe(false);
    expect(issuesRefreshToken(app, auth0Like, ["offline_access"])).toBe(true);
  });

  it("asks for offline_access when the API or the app requires it", () => {
    expect(issuesRefreshToken(app, auth0Like, ["openid"])).toBe(false);
    const lenient = { allowOfflineAccess: true, offlineAccessScopeRequired: false };
    expect(issuesRefreshToken(app, lenient, ["openid"])).toBe(true);
    expect(issuesRefreshToken({ ...app, requireOfflineAccess: true }, lenient, ["openid"])).toBe(false);
    expect(issuesRefreshToken({ ...app, requireOfflineAccess: true }, lenient, ["offline_access"])).toBe(true);
  });
});
