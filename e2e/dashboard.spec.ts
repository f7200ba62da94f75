import { expect, test, type Page } from "@playwright/test";
import { newClient, newUser } from "../tests/support/fixtures";
import { basic, postForm, userTokens } from "../tests/support/oauth";

async function signIn(page: Page, person: { email: string; password: string }, path = "/") {
  await page.goto(path);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a developer registers a confidential app and sees its secret exactly once", async ({ page }) => {
  const developer = await newUser();
  await signIn(page, developer, "/dashboard/apps/new");
  await expect(page.getByRole("heading", { name: "Register an app" })).toBeVisible();

  // A broken redirect URI keeps the form, with everything typed still there.
  await page.getByLabel("Name", { exact: true }).fill("Invoice Sync");
  await page.getByLabel("Redirect URIs", { exact: true }).fill("http://invoices.example/callback");
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page.getByText("Use https. Plain http is allowed only for loopback")).toBeVisible();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Invoice Sync");
  await expect(page.getByLabel("Redirect URIs", { exact: true })).toHaveValue("http://invoices.example/callback");

  await page.getByLabel("Redirect URIs", { exact: true }).fill("https://invoices.example/callback");
  await page.getByRole("button", { name: "Create app" }).click();
  const panel = page.getByTestId("secret-once");
  await expect(panel.getByRole("heading", { name: "Copy the client secret now" })).toBeVisible();
  await expect(panel).toContainText("This is the only time it is shown");
  const secret = (await page.getByTestId("new-client-secret").textContent()) ?? "";
  const clientId = (await page.getByTestId("new-client-id").textContent()) ?? "";
  expect(secret).toMatch(/^[0-9a-f]{64}$/);

  // The secret works, and is never shown again.
  // Introspection needs only client authentication: 200 proves the secret.
  expect((await postForm("/oauth/introspect", { token: "anything" }, basic(clientId, secret))).status).toBe(200);
  await page.getByRole("link", { name: "Go to the app's page" }).click();
  await expect(page.getByRole("heading", { name: "Invoice Sync" })).toBeVisible();
  await expect(page.getByTestId("client-id")).toHaveText(clientId);
  expect(await page.content()).not.toContain(secret);
  await page.goto("/dashboard/apps");
  await expect(page.getByRole("link", { name: /Invoice Sync/ })).toContainText("Active");
  expect(await page.content()).not.toContain(secret);
});

test("a developer adds and removes redirect URIs, and a URI that breaks the rules is refused", async ({ page }) => {
  const developer = await newUser();
  const app = await newClient({ name: "Redirect Lab", ownerId: developer.user.id, isConfidential: true });
  await signIn(page, developer, `/dashboard/apps/${app.clientId}`);
  const list = page.getByRole("list", { name: "Registered redirect URIs" });
  await expect(list.getByRole("listitem")).toHaveText([new RegExp(app.redirectUri.replace(/[.?]/g, "\\$&"))]);

  const field = page.getByLabel("New redirect URI");
  await field.fill("https://*.example.com/callback");
  await page.getByRole("button", { name: "Add redirect URI" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wildcards are not allowed" })).toBeVisible();
  await expect(field).toHaveValue("https://*.example.com/callback");

  await field.fill("https://redirect-lab.example/second");
  await page.getByRole("button", { name: "Add redirect URI" }).click();
  await expect(list.getByRole("listitem")).toHaveCount(2);
  await expect(list).toContainText("https://redirect-lab.example/second");

  await page.getByRole("button", { name: `Remove ${app.redirectUri}` }).click();
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list).not.toContainText(app.redirectUri);

  // The last one cannot go while the app signs people in.
  await page.getByRole("button", { name: "Remove https://redirect-lab.example/second" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "needs at least one redirect URI" })).toBeVisible();
  await expect(list.getByRole("listitem")).toHaveCount(1);
});

test("rotating a secret at once makes the token endpoint refuse the old one", async ({ page }) => {
  const developer = await newUser();
  const app = await newClient({
    name: "Rotator",
    ownerId: developer.user.id,
    isConfidential: true,
    grantTypes: ["client_credentials"],
    scopes: [],
  });
  expect((await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(app.clientId, app.clientSecret!))).status).toBe(200);

  await signIn(page, developer, `/dashboard/apps/${app.clientId}`);
  await page.getByLabel("The old secret stops working").selectOption("0");
  await page.getByRole("button", { name: "Rotate secret" }).click();
  // At once needs the box ticked; nothing changed meanwhile.
  await expect(page.getByText("Rotating at once stops the old secret now: tick the box to confirm")).toBeVisible();
  expect((await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(app.clientId, app.clientSecret!))).status).toBe(200);
  await expect(page.getByLabel("The old secret stops working")).toHaveValue("0");
  await page.getByLabel(/At once: I understand/).check();
  await page.getByRole("button", { name: "Rotate secret" }).click();
  const newSecret = (await page.getByTestId("new-client-secret").textContent()) ?? "";
  expect(newSecret).toMatch(/^[0-9a-f]{64}$/);

  await expect
    .poll(
      async () => (await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(app.clientId, app.clientSecret!))).status,
      { timeout: 5000 },
    )
    .toBe(401);
  expect((await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(app.clientId, newSecret))).status).toBe(200);

  // With a grace period no box is needed, the old secret keeps working, and the choice stays selected.
  await page.getByLabel("The old secret stops working").selectOption("86400");
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByTestId("new-client-secret")).not.toHaveText(newSecret);
  await expect(page.getByLabel("The old secret stops working")).toHaveValue("86400");
  expect((await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(app.clientId, newSecret))).status).toBe(200);
});

test("a person revokes an app in connected apps and its tokens are refused", async ({ page }) => {
  const { app, person, tokens } = await userTokens({ name: "Nosy Calendar" }, { scope: "openid email" });
  const me = () =>
    fetch(new URL("/api/v1/me", process.env.PORTAL_TEST_BASE_URL).toString(), {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
  expect((await me()).status).toBe(200);

  await signIn(page, person, "/account/connections");
  const connections = page.getByRole("list", { name: "Connected apps" });
  await expect(connections.getByRole("heading", { name: "Nosy Calendar" })).toBeVisible();
  await expect(connections).toContainText("See your email address");
  await page.locator("summary", { hasText: "Revoke access for Nosy Calendar" }).click();
  await page.getByRole("button", { name: "Revoke now for Nosy Calendar" }).click();
  await expect(page.getByText("Access for Nosy Calendar was revoked.")).toBeVisible();
  await expect(page.getByText("You have not connected any apps yet.")).toBeVisible();

  expect((await me()).status).toBe(401);
  const refresh = await postForm("/oauth/token", {
    grant_type: "refresh_token",
    client_id: app.clientId,
    refresh_token: tokens.refresh_token!,
  });
  expect(refresh.status).toBe(400);
});
