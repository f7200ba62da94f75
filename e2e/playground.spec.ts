import { expect, test } from "@playwright/test";
import { newClient, newUser } from "../tests/support/fixtures";

test("an app's owner runs the playground: consent in a new tab, then the code, the tokens decoded and verified, userinfo, refresh, introspection and revocation", async ({
  page,
  context,
}) => {
  const owner = await newUser({ name: "Player Owner" });
  const app = await newClient({
    name: "Playground App",
    ownerId: owner.user.id,
    isConfidential: true,
    scopes: ["openid", "profile", "email", "offline_access"],
  });
  await page.goto(`/sign-in?returnTo=${encodeURIComponent(`/dashboard/apps/${app.clientId}`)}`);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("link", { name: "playground" }).click();
  await expect(page).toHaveURL(/\/playground$/);
  await expect(page.getByRole("heading", { name: "Playground", exact: true })).toBeVisible();
  await page.getByRole("region", { name: "Run" }).getByLabel("offline_access").check();

  const [tab] = await Promise.all([context.waitForEvent("page"), page.getByRole("button", { name: "Run" }).click()]);
  await expect(tab.getByRole("button", { name: "Authorize" })).toBeVisible();
  await tab.getByRole("button", { name: "Authorize" }).click();
  await expect(tab.getByTestId("code")).toBeVisible();

  await tab.getByLabel(/Client secret/).fill(app.clientSecret!);
  await tab.getByRole("button", { name: "Exchange the code" }).click();
  const exchange = tab.getByRole("region", { name: "POST /oauth/token (authorization_code)" });
  await expect(exchange).toContainText("→ 200");
  await expect(exchange.getByRole("region", { name: "Decoded access_token" })).toContainText("signature verified against the JWKS");
  await expect(exchange.getByRole("region", { name: "Decoded id_token" })).toContainText(owner.user.id);
  await expect(exchange.getByTestId("expires-in").first()).toContainText("expires in");

  await tab.getByRole("button", { name: "Call userinfo" }).click();
  await expect(tab.getByRole("region", { name: "POST /oauth/userinfo" })).toContainText(owner.email);
  await tab.getByRole("button", { name: "Refresh", exact: true }).click();
  await expect(tab.getByRole("region", { name: "POST /oauth/token (refresh_token)" })).toContainText("→ 200");
  await tab.getByRole("button", { name: "Introspect" }).click();
  await expect(tab.getByRole("region", { name: "POST /oauth/introspect" })).toContainText('"active": true');
  await tab.getByRole("button", { name: /Revoke/ }).click();
  await expect(tab.getByRole("region", { name: "POST /oauth/revoke" })).toContainText("→ 200");
  // The refreshed access token came from the revoked family: introspection now says so.
  await tab.getByRole("button", { name: "Introspect" }).click();
  await expect(tab.getByRole("region", { name: "POST /oauth/introspect" }).first()).toContainText('"active": false');
});
