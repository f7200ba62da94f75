import { expect, test } from "@playwright/test";
import { newClient, newUser } from "../tests/support/fixtures";
import { userTokens } from "../tests/support/oauth";

test("an unknown address shows the branded page with a way back", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  await expect(page).toHaveTitle(/Page not found · Identity Portal/);
  await page.getByRole("link", { name: "Go to your account" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("confirmation steps work without JavaScript: revoking an app's access asks first", async ({ browser }) => {
  const { person } = await userTokens({ name: "Plain Form App" }, { scope: "openid" });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/sign-in?returnTo=%2Faccount%2Fconnections");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Connected apps" })).toBeVisible();
  const confirm = page.getByRole("button", { name: "Revoke now for Plain Form App" });
  await expect(confirm).toBeHidden();
  await page.locator("summary", { hasText: "Revoke access for Plain Form App" }).click();
  await expect(page.getByText("Plain Form App loses its access to your account at once")).toBeVisible();
  await confirm.click();
  await expect(page.getByText("Access for Plain Form App was revoked.")).toBeVisible();
  await context.close();
});

test("an app's page shows quick-start code with the app's own values", async ({ page }) => {
  const owner = await newUser();
  const app = await newClient({ name: "Snippet App", ownerId: owner.user.id, isConfidential: true });
  await page.goto(`/sign-in?returnTo=${encodeURIComponent(`/dashboard/apps/${app.clientId}`)}`);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const quickStart = page.getByRole("region", { name: "Quick start" });
  await expect(quickStart.getByTestId("snippet-curl")).toContainText(`-u '${app.clientId}':"$CLIENT_SECRET"`);
  await quickStart.locator("summary", { hasText: "Node (openid-client)" }).click();
  await expect(quickStart.getByTestId("snippet-node")).toContainText(`"${app.clientId}"`);
  await expect(quickStart.getByTestId("snippet-node")).toContainText(app.redirectUri);
  await quickStart.locator("summary", { hasText: "Python (Authlib)" }).click();
  await expect(quickStart.getByTestId("snippet-python")).toContainText("fetch_token");
  await quickStart.locator("summary", { hasText: "Next.js (Auth.js)" }).click();
  await expect(quickStart.getByTestId("snippet-nextjs")).toContainText('type: "oidc"');
});
