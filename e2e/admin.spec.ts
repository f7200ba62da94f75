import { expect, test, type Page } from "@playwright/test";
import { timeOrderedId } from "@/lib/crypto";
import { db } from "@/lib/db";
import { newClient, newUser } from "../tests/support/fixtures";
import { linkIn, mailTo } from "../tests/support/mailbox";

async function signIn(page: Page, person: { email: string; password: string }, path: string) {
  await page.goto(path);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function newAdmin() {
  const admin = await newUser({ name: "Ada Admin" });
  await db().user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
  return admin;
}

test("an admin disables a person, marks an app first-party, adds a scope and reads the audit log", async ({ page }) => {
  const admin = await newAdmin();
  const person = await newUser({ name: "Dana Disabled" });
  const app = await newClient({ name: `Trusted ${Date.now()}` });
  await signIn(page, admin, "/admin");

  await page.getByLabel("Search users").fill(person.email);
  await page.getByRole("button", { name: "Search" }).click();
  const users = page.getByRole("table", { name: "Users" });
  await expect(users.getByRole("row")).toHaveCount(2);
  // A confirmation step: the first button only asks.
  await users.locator("summary", { hasText: `Disable ${person.email}` }).click();
  await expect(users.getByText(`${person.email} is signed out everywhere`)).toBeVisible();
  await users.getByRole("button", { name: `Disable now ${person.email}` }).click();
  await expect(page.getByText(`${person.email} is disabled.`)).toBeVisible();
  expect((await db().user.findUniqueOrThrow({ where: { id: person.user.id } })).disabledAt).not.toBeNull();

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Apps" }).click();
  await page.getByRole("button", { name: `Mark ${app.client.name} first-party` }).click();
  await expect(page.getByText(`${app.client.name} is now first-party.`)).toBeVisible();
  expect((await db().client.findUniqueOrThrow({ where: { id: app.clientId } })).isFirstParty).toBe(true);

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Scopes" }).click();
  const name = `reports${Date.now()}.read`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Description", { exact: true }).fill("See your reports");
  await page.getByRole("button", { name: "Add scope" }).click();
  await expect(page.getByText(`Scope ${name} saved.`)).toBeVisible();
  await page.getByLabel(`Description of ${name}`).fill("See and export your reports");
  await page.getByRole("button", { name: `Save ${name}` }).click();
  await expect(page.getByLabel(`Description of ${name}`)).toHaveValue("See and export your reports");

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
  await page.getByLabel("Show").selectOption({ label: "Person disabled" });
  await page.getByRole("button", { name: "Filter" }).click();
  const audit = page.getByRole("table", { name: "Audit log" });
  await expect(audit.getByRole("row").nth(1)).toContainText(admin.email);
  await expect(audit.getByRole("row").nth(1)).toContainText("Person disabled");
  await expect(audit.getByRole("row").nth(1)).toContainText("UTC");
});

test("the audit log reads in words: failures filterable, apps by name with the id on hover, searchable", async ({ page }) => {
  const admin = await newAdmin();
  const app = await newClient({ name: `Audited ${Date.now()}` });
  const person = await newUser();
  // Three failed sign-ins and an approval of the app, recorded as the portal records them.
  for (let i = 0; i < 3; i++)
    await db().auditEvent.create({ data: { id: timeOrderedId(), type: "user.sign_in_failed", userId: person.user.id, ip: "203.0.113.7" } });
  await db().auditEvent.create({
    data: { id: timeOrderedId(), type: "authorization.approved", userId: person.user.id, clientId: app.clientId, scopes: "openid" },
  });
  await signIn(page, admin, "/admin/audit");

  await page.getByLabel("Search").fill(person.email);
  await page.getByRole("button", { name: "Filter" }).click();
  const audit = page.getByRole("table", { name: "Audit log" });
  // Their sign-up, three failed sign-ins and the approval, under the header row.
  await expect(audit.getByRole("row")).toHaveCount(6);
  const approval = audit.getByRole("row").filter({ hasText: "Authorization approved" });
  await expect(approval.getByTitle(app.clientId)).toHaveText(app.client.name);

  await page.getByLabel("Failures only").check();
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(audit.getByRole("row")).toHaveCount(4);
  await expect(audit.getByText("Failure")).toHaveCount(3);
});

test("a non-admin gets 403 on every admin page and every admin action", async ({ page }) => {
  const target = await newUser();
  const app = await newClient({ name: "Not yours" });
  const someone = await newUser();
  await signIn(page, someone, "/");
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Admin" })).toHaveCount(0);
  for (const path of ["/admin", "/admin/apps", "/admin/scopes", "/admin/registration", "/admin/audit"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("main").getByRole("alert")).toContainText("for administrators only");
  }

  // The admin forms' posts, sent with this person's session and their own valid CSRF token.
  await page.goto("/account/connections");
  const csrf_token = await page.locator('input[name="csrf_token"]').first().inputValue();
  const posts: [string, Record<string, string>][] = [
    ["/admin/users/status", { userId: target.user.id, disabled: "true" }],
    ["/admin/apps/flags", { clientId: app.clientId, flag: "firstParty", value: "true" }],
    ["/admin/scopes/save", { mode: "create", name: "sneaky.scope", description: "Sneaky", tokenKind: "user" }],
    ["/admin/registration/delete", { id: "anything", label: "anything" }],
  ];
  for (const [path, form] of posts) {
    const response = await page.request.post(path, { form: { csrf_token, ...form }, maxRedirects: 0 });
    expect(response.status(), path).toBe(403);
  }
  expect((await db().user.findUniqueOrThrow({ where: { id: target.user.id } })).disabledAt).toBeNull();
  expect((await db().client.findUniqueOrThrow({ where: { id: app.clientId } })).isFirstParty).toBe(false);
  expect(await db().apiScope.findUnique({ where: { apiId_name: { apiId: "portal", name: "sneaky.scope" } } })).toBeNull();
});

test("an admin creates an initial access token, an app registers itself with it, and the admin disables the app", async ({
  page,
  baseURL,
}) => {
  const admin = await newAdmin();
  await signIn(page, admin, "/admin/registration");
  await expect(page.getByText("token: an app registers itself with an initial access token created here.")).toBeVisible();
  await page.getByLabel("Label").fill("Agent partner");
  await page.getByLabel("Uses").fill("2");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("registration-token").textContent())!;
  expect(token).toMatch(/^[\w-]{43}$/);
  await expect(page.getByRole("list", { name: "Initial access tokens" })).toContainText("Agent partner: 2 uses left");
  expect(page.url()).not.toContain(token);

  const name = `Self-registered ${Date.now()}`;
  const registration = await fetch(`${baseURL}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ client_name: name, redirect_uris: ["https://agent.example/cb"] }),
  });
  expect(registration.status).toBe(201);
  await page.reload();
  await expect(page.getByRole("list", { name: "Initial access tokens" })).toContainText("Agent partner: 1 uses left");

  await page.goto("/admin/apps");
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("Registered itself (initial access token)");
  await row.locator("summary", { hasText: `Disable ${name}` }).click();
  await row.getByRole("button", { name: `Disable ${name} now` }).click();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("Disabled");
});

test("an admin invites a person, who sets a password from the mail; the admin makes them an admin and opens any app's page", async ({
  page,
  browser,
}) => {
  const admin = await newAdmin();
  const email = `colleague-${Date.now()}@example.com`;
  await signIn(page, admin, "/admin");
  await page.getByText("Invite a person").click();
  const invite = page.getByRole("form", { name: "Invite a person" });
  await invite.getByLabel("Email").fill(email);
  await invite.getByLabel("Name").fill("Cole League");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`${email} was invited`)).toBeVisible();

  const invited = await browser.newContext();
  const theirs = await invited.newPage();
  await theirs.goto(linkIn(await mailTo(email, /You are invited/), new URL(page.url()).origin));
  await theirs.getByLabel("New password").fill("a chosen password");
  await theirs.getByRole("button", { name: "Set the new password" }).click();
  await theirs.getByLabel("Email").fill(email);
  await theirs.getByLabel("Password").fill("a chosen password");
  await theirs.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(theirs.getByRole("heading", { name: "Welcome, Cole League" })).toBeVisible();
  await invited.close();

  await page.getByLabel("Search users").fill(email);
  await page.getByRole("button", { name: "Search" }).click();
  const users = page.getByRole("table", { name: "Users" });
  await users.locator("summary", { hasText: `Make admin ${email}` }).click();
  await users.getByRole("button", { name: `Make admin now ${email}` }).click();
  await expect(page.getByText(`${email} is now an admin.`)).toBeVisible();
  await expect(users.getByRole("row").filter({ hasText: email })).toContainText("Admin");

  const app = await newClient({ name: `Someone's app ${Date.now()}`, ownerId: (await newUser()).user.id });
  await page.goto("/admin/apps");
  await page.getByLabel("Search apps").fill(app.clientId);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("table", { name: "All apps" }).getByRole("row")).toHaveCount(2);
  await page.getByRole("link", { name: app.client.name }).click();
  await expect(page.getByRole("heading", { level: 1, name: app.client.name })).toBeVisible();
});

test("the apps list shows fifty at a time, newest first, and keeps the search while paging", async ({ page }) => {
  const admin = await newAdmin();
  const tag = `Paged ${Date.now()}`;
  for (let index = 0; index < 51; index += 1) await newClient({ name: `${tag} #${index}` });
  await signIn(page, admin, "/admin/apps");
  await page.getByLabel("Search apps").fill(tag);
  await page.getByRole("button", { name: "Search" }).click();
  const apps = page.getByRole("table", { name: "All apps" });
  await expect(apps.getByRole("row")).toHaveCount(51);
  await expect(apps.getByRole("row").nth(1)).toContainText(`${tag} #50`);
  await page.getByRole("link", { name: "Older apps" }).click();
  await expect(apps.getByRole("row")).toHaveCount(2);
  await expect(apps.getByRole("row").nth(1)).toContainText(`${tag} #0`);
  await expect(page.getByRole("link", { name: "Older apps" })).toHaveCount(0);
  await page.getByRole("link", { name: "Newest apps" }).click();
  await expect(apps.getByRole("row").nth(1)).toContainText(`${tag} #50`);
  await expect(page.getByLabel("Search apps")).toHaveValue(tag);
});
