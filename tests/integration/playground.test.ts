import { describe, expect, it } from "vitest";
import { newClient, newUser } from "../support/fixtures";
import { authorizationParams, authorizePath, baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { obtainCode } from "../support/oauth";

const playground = (clientId: string) => `${baseUrl()}/dashboard/apps/${clientId}/playground`;

describe("the playground's redirect URI", () => {
  it("brings its owner a code, and anyone else only an error page", async () => {
    const owner = await newUser();
    const app = await newClient({ ownerId: owner.user.id, isFirstParty: true });
    const ownerBrowser = new HttpSession(freshAddress());
    await ownerBrowser.signIn(owner.email, owner.password);
    const { callback } = await obtainCode(ownerBrowser, { clientId: app.clientId, redirectUri: playground(app.clientId) });
    expect(callback.toString().startsWith(`${playground(app.clientId)}?code=`)).toBe(true);

    // Someone else, lured to the same request, gets no code, asked or silent.
    const stranger = await newUser();
    const strangerBrowser = new HttpSession(freshAddress());
    await strangerBrowser.signIn(stranger.email, stranger.password);
    for (const extra of [{}, { prompt: "none" }] as Record<string, string>[]) {
      const response = await strangerBrowser.get(
        authorizePath(
          authorizationParams(
            { clientId: app.clientId, redirectUri: playground(app.clientId) },
            { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", ...extra },
          ),
        ),
      );
      expect(response.headers.get("location") ?? "").not.toContain("code=");
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("Only the developer of");
    }
  });

  it("belongs to its own app: another app cannot name it", async () => {
    const owner = await newUser();
    const mine = await newClient({ ownerId: owner.user.id, isFirstParty: true });
    const other = await newClient({ ownerId: owner.user.id, isFirstParty: true });
    const browser = new HttpSession(freshAddress());
    await browser.signIn(owner.email, owner.password);
    const response = await browser.get(
      authorizePath(
        authorizationParams(
          { clientId: other.clientId, redirectUri: playground(mine.clientId) },
          { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" },
        ),
      ),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("asked to send you to an address it has not registered");
  });
});
