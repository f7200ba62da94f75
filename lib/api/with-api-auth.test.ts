import { beforeAll, describe, expect, it, vi } from "vitest";
import { portalApiAudience } from "@/lib/oauth/apis";
import { issueAccessToken } from "@/lib/oauth/tokens";
import type { ProtocolRequest } from "@/lib/protocol-http";
import { apiJson, withApiAuth, type Principal } from "./with-api-auth";
import { ensureClient } from "@/tests/support/unit-fixtures";

const context = { params: Promise.resolve({}) };
const request = (token?: string) =>
  new Request("http://portal.test/api/v1/x", { headers: token ? { authorization: `Bearer ${token}` } : {} });
const userToken = (scopes: string[]) =>
  issueAccessToken({ subject: "user-1", clientId: "app", scopes, audience: portalApiAudience(), authTime: 1, grantId: "g", familyId: "f" });
const machineToken = (scopes: string[]) =>
  issueAccessToken({ subject: "machine", clientId: "machine", scopes, audience: portalApiAudience() });

beforeAll(async () => {
  await ensureClient("app");
  await ensureClient("machine");
});

describe("withApiAuth", () => {
  it("hands the handler the principal of a user token", async () => {
    let seen: Principal | undefined;
    const route = withApiAuth({ scopes: ["apps.read"] }, async (_request, principal) => {
      seen = principal;
      return apiJson({ ok: true });
    });
    const { token, jti } = await userToken(["apps.read", "email"]);
    expect((await route(request(token), context)).status).toBe(200);
    expect(seen).toMatchObject({ clientId: "app", userId: "user-1", actsFor: "user", scopes: ["apps.read", "email"], tokenId: jti });
    expect(seen!.can("email")).toBe(true);
    expect(seen!.can("profile")).toBe(false);
  });

  it("gives client credentials tokens a principal without a user, unless the route requires one", async () => {
    const handler = vi.fn(async (_request: ProtocolRequest, principal: Principal) =>
      apiJson({ userId: principal.userId, actsFor: principal.actsFor }),
    );
    const { token } = await machineToken([]);
    expect(await (await withApiAuth({}, handler)(request(token), context)).json()).toEqual({ userId: null, actsFor: "client" });
    expect((await withApiAuth({ requireUser: true }, handler)(request(token), context)).status).toBe(403);
  });

  it("answers 401, 401 invalid_token and 403 insufficient_scope without calling the handler", async () => {
    const handler = vi.fn(async () => apiJson({}));
    const route = withApiAuth({ scopes: ["apps.read", "connections.read"] }, handler);
    expect((await route(request(), context)).headers.get("www-authenticate")).toMatch(/^Bearer realm="[^"]+"$/);
    expect((await route(request("not-a-token"), context)).headers.get("www-authenticate")).toContain('error="invalid_token"');
    const forbidden = await route(request((await userToken(["apps.read"])).token), context);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("www-authenticate")).toContain('scope="apps.read connections.read"');
    expect(handler).not.toHaveBeenCalled();
  });

  it("turns a failing handler into a 500 without internals", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const route = withApiAuth({}, async () => {
      throw new Error("secret internals");
    });
    const response = await route(request((await userToken([])).token), context);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("secret internals");
    spy.mockRestore();
  });
});
