import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { rotateClientSecret } from "@/lib/oauth/clients";
import { newClient, newUser } from "../support/fixtures";
import { freshAddress, HttpSession } from "../support/http-client";
import { basic, failureReasons, obtainCode, postForm, signedInPerson } from "../support/oauth";

describe("failed calls explained to the app's owner", () => {
  it("says why a secret failed, the wire answer staying the RFC's", async () => {
    const owner = await newUser();
    const app = await newClient({ ownerId: owner.user.id, isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    const browser = new HttpSession(freshAddress());
    await browser.signIn(owner.email, owner.password);
    await rotateClientSecret(app.client, 0, owner.user.id);

    const refused = await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(app.clientId, "0".repeat(64)));
    expect(refused.status).toBe(401);
    const wire = await refused.text();
    expect(wire).not.toContain("rotated");
    const [reason] = await failureReasons(app.clientId, 1);
    expect(reason).toMatch(/^the secret does not match; the secret was rotated at .* UTC, and an older one is not accepted$/);

    // The owner reads it in the app's activity, beside the successes.
    const page = await (await browser.get(`/dashboard/apps/${app.clientId}?failures=1`)).text();
    expect(page).toContain("Request failed");
    expect(page).toContain("/oauth/token answered invalid_client: the secret does not match");
  });

  it("says which redirect_uri was sent and expected, that a code was used before and when, and that the PKCE verifier does not match", async () => {
    const app = await newClient({ isFirstParty: true });
    const { browser } = await signedInPerson();
    const token = (body: Record<string, string>) =>
      postForm("/oauth/token", { grant_type: "authorization_code", client_id: app.clientId, ...body });

    const first = await obtainCode(browser, app);
    const wrongUri = await token({ code: first.code, code_verifier: first.verifier, redirect_uri: "https://elsewhere.example/cb" });
    expect(await wrongUri.json()).toEqual({
      error: "invalid_grant",
      error_description: "The authorization code is invalid, expired or already used",
    });

    const second = await obtainCode(browser, app);
    expect((await token({ code: second.code, code_verifier: "x".repeat(43), redirect_uri: app.redirectUri })).status).toBe(400);

    const third = await obtainCode(browser, app);
    expect((await token({ code: third.code, code_verifier: third.verifier, redirect_uri: app.redirectUri })).status).toBe(200);
    expect((await token({ code: third.code, code_verifier: third.verifier, redirect_uri: app.redirectUri })).status).toBe(400);

    const reasons = await failureReasons(app.clientId, 3);
    expect(reasons).toContain(
      `redirect_uri differs from the authorization request: sent https://elsewhere.example/cb, expected ${app.redirectUri}`,
    );
    expect(reasons).toContain("the PKCE code_verifier does not match the code_challenge");
    expect(reasons.find((reason) => reason.startsWith("the code was already used at "))).toMatch(
      /UTC; everything issued from it is now revoked$/,
    );
  });

  it("records nothing for an app that does not exist", async () => {
    const before = await db().auditEvent.count({ where: { type: "request.failed", clientId: "no-such-app" } });
    await postForm("/oauth/token", { grant_type: "client_credentials" }, basic("no-such-app", "secret"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await db().auditEvent.count({ where: { type: "request.failed", clientId: "no-such-app" } })).toBe(before);
  });
});
