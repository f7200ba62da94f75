import { expect, test, type Page } from "@playwright/test";
import { db } from "@/lib/db";
import { newApi, newClient, newUser } from "../tests/support/fixtures";
import { basic, postForm } from "../tests/support/oauth";

async function signIn(page: Page, person: { email: string; password: string }, path: string) {
  await page.goto(path);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

function clientCredentials(app: { clientId: string; clientSecret?: string }, audience: string) {
  return postForm("/oauth/token", { grant_type: "client_credentials", audience }, basic(app.clientId, app.clientSecret!));
}

test("an API's owner authorizes someone else's app for machine access, with the scopes ticked, and takes it away", async ({ page }) => {
  const owner = await newUser();
  const api = await newApi({
    name: "Reports",
    ownerId: owner.user.id,
    scopes: [
      { name: "reports.read", description: "Read reports" },
      { name: "reports.write", description: "Write reports" },
    ],
  });
  const app = await newClient({
    name: "Nightly Export",
    ownerId: (await newUser()).user.id,
    isConfidential: true,
    grantTypes: ["client_credentials"],
    scopes: [],
  });
  expect((await clientCredentials(app, api.identifier)).status).toBe(400);

  await signIn(page, owner, `/dashboard/apis/${api.id}`);
  const section = page.getByRole("region", { name: "Machine access (client credentials)" });
  await expect(section).toContainText("No app may get client-credentials tokens for this API yet.");
  await section.getByLabel("Client ID of the app").fill(app.clientId);
  await section.getByLabel(/reports\.read/).check();
  await section.getByRole("button", { name: "Authorize app" }).click();
  const list = section.getByRole("list", { name: "Apps with machine access" });
  await expect(list).toContainText("Nightly Export");
  await expect(list).toContainText("reports.read");
  await expect(list).toContainText(`Given by ${owner.email}`);

  const token = await clientCredentials(app, api.identifier);
  expect(token.status).toBe(200);
  expect(await token.json()).toMatchObject({ scope: "reports.read" });

  await list.getByRole("button", { name: "Remove Nightly Export" }).click();
  await expect(section).toContainText("No app may get client-credentials tokens for this API yet.");
  expect((await clientCredentials(app, api.identifier)).status).toBe(400);
});

test("a person who edits the page gets machine access to nobody's API and no management scope", async ({ page }) => {
  const victim = await newApi({
    name: "Payroll",
    ownerId: (await newUser()).user.id,
    scopes: [{ name: "payroll.read", description: "Read payroll" }],
  });
  const attacker = await newUser();
  const ownApi = await newApi({ name: "Mine", ownerId: attacker.user.id });
  const app = await newClient({
    name: "Attacker's app",
    ownerId: attacker.user.id,
    isConfidential: true,
    grantTypes: ["client_credentials"],
    scopes: [],
  });

  await signIn(page, attacker, `/dashboard/apis/${ownApi.id}`);
  const section = page.getByRole("region", { name: "Machine access (client credentials)" });
  for (const target of [victim.id, "portal"]) {
    // The attacker points the form of their own API at another one, as an edited page would.
    await section
      .locator('input[name="apiId"]')
      .last()
      .evaluate((input, id) => ((input as HTMLInputElement).value = id), target);
    await section.getByLabel("Client ID of the app").fill(app.clientId);
    await section.getByRole("button", { name: "Authorize app" }).click();
    await expect(section.getByRole("alert")).toContainText("This API does not exist or is not yours.");
  }
  expect(await db().clientGrant.count({ where: { clientId: app.clientId } })).toBe(0);
  expect((await clientCredentials(app, victim.identifier)).status).toBe(400);

  // A management scope added to the new-app form by hand is refused.
  await page.goto("/dashboard/apps/new");
  await page.getByLabel("Name", { exact: true }).fill("Admin by hand");
  await page.getByLabel("Redirect URIs", { exact: true }).fill("https://admin-by-hand.example/callback");
  await page.getByLabel(/Only the scopes ticked below/).check();
  await page
    .locator('input[name="scopes"]')
    .first()
    .evaluate((input) => {
      const forged = input.cloneNode() as HTMLInputElement;
      forged.value = "admin.users";
      forged.checked = true;
      input.parentElement!.append(forged);
    });
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page.getByText("admin.users is for client credentials only").first()).toBeVisible();
  expect(await db().client.count({ where: { name: "Admin by hand" } })).toBe(0);
});
