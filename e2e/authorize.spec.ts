import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { newClient, newUser } from "../tests/support/fixtures";
import { authorizationParams, authorizePath } from "../tests/support/http-client";

// The apps' redirect URIs point at this stand-in for an app's callback (a
// loopback URI, as a native or local app would register).
let callbackServer: Server;
let callbackUri = "";
let callbackHits = 0;

test.beforeAll(async () => {
  callbackServer = createServer((_request, response) => {
    callbackHits += 1;
    response.writeHead(200, { "content-type": "text/html" }).end("<h1>Back at the app</h1>");
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, "127.0.0.1", resolve));
  callbackUri = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
});

test.afterAll(() => new Promise<void>((resolve) => callbackServer.close(() => resolve())));

function newApp(overrides: Parameters<typeof newClient>[0] = {}) {
  return newClient({ redirectUris: [callbackUri], ...overrides });
}

function callbackParams(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}

async function signIn(page: Page, person: { email: string; password: string }) {
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a signed-out person signs in, authorizes the app and lands on its redirect URI with a code", async ({ page, baseURL }) => {
  const person = await newUser();
  const app = await newApp({ name: "Photo Printer", logoUrl: "https://cdn.example/logo.png" });
  await page.route("https://cdn.example/**", (route) => route.fulfill({ status: 404 }));

  await page.goto(authorizePath(authorizationParams(app, { scope: "openid profile email", state: "xyz-123" })));
  await expect(page.getByRole("heading", { name: /Sign in to Identity Portal/ })).toContainText("to continue to Photo Printer");
  await signIn(page, person);

  await expect(page.getByRole("heading", { name: "Photo Printer wants to use your Identity Portal account" })).toBeVisible();
  const scopes = page.getByTestId("requested-scopes").getByRole("listitem");
  await expect(scopes).toHaveText(["Sign you in to the app with your account", "See your name", "See your email address"]);
  await expect(page.getByText(`sent back to ${new URL(app.redirectUri).host}`)).toBeVisible();
  await expect(page.getByText(`Signed in as ${person.email}`)).toBeVisible();

  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page.getByRole("heading", { name: "Back at the app" })).toBeVisible();
  expect(page.url().startsWith(`${app.redirectUri}?`)).toBe(true);
  const params = callbackParams(page);
  expect(params.get("code")).toMatch(/^[\w-]{43}$/);
  expect(params.get("state")).toBe("xyz-123");
  expect(params.get("iss")).toBe(baseURL);
});

test("Deny sends the person back with access_denied", async ({ page }) => {
  const person = await newUser();
  const app = await newApp({ name: "Nosy App" });
  await page.goto(authorizePath(authorizationParams(app, { state: "deny-me" })));
  await signIn(page, person);
  await page.getByRole("button", { name: "Deny" }).click();
  await expect(page.getByRole("heading", { name: "Back at the app" })).toBeVisible();
  const params = callbackParams(page);
  expect(params.get("error")).toBe("access_denied");
  expect(params.get("state")).toBe("deny-me");
  expect(params.get("code")).toBeNull();
});

test("consent is remembered, and asked again listing only a new scope", async ({ page }) => {
  const person = await newUser();
  const app = await newApp({ name: "Calendar Sync" });

  await page.goto(authorizePath(authorizationParams(app, { scope: "openid profile" })));
  await signIn(page, person);
  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page.getByRole("heading", { name: "Back at the app" })).toBeVisible();

  // The same scopes again: straight back to the app, no screen.
  await page.goto(authorizePath(authorizationParams(app, { scope: "profile openid" })));
  await expect(page.getByRole("heading", { name: "Back at the app" })).toBeVisible();
  expect(callbackParams(page).get("code")).toBeTruthy();

  // A new scope: the screen again, listing what is new.
  await page.goto(authorizePath(authorizationParams(app, { scope: "openid profile email" })));
  await expect(page.getByRole("heading", { name: "Calendar Sync is asking for more access. It would also be able to:" })).toBeVisible();
  await expect(page.getByTestId("requested-scopes").getByRole("listitem")).toHaveText(["See your email addressNew"]);
  await expect(page.getByText("Already allowed: Sign you in to the app with your account; See your name.")).toBeVisible();
  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page.getByRole("heading", { name: "Back at the app" })).toBeVisible();
  expect(callbackParams(page).get("code")).toBeTruthy();
});

test("an unregistered redirect URI gets an error page, with the difference shown to the app's owner", async ({ page }) => {
  const owner = await newUser();
  const app = await newApp({ name: "Typo App", ownerId: owner.user.id });
  const hitsBefore = callbackHits;
  const wrongUri = `${app.redirectUri}/`;
  const path = authorizePath(authorizationParams(app, { redirect_uri: wrongUri }));

  const response = await page.goto(path);
  expect(response?.status()).toBe(400);
  await expect(page.getByRole("alert")).toContainText("Typo App asked to send you to an address it has not registered");
  await expect(page.getByText(wrongUri, { exact: true })).toBeVisible();
  await expect(page.getByTestId("owner-comparison")).toHaveCount(0);

  await page.goto("/sign-in");
  await signIn(page, owner);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await page.goto(path);
  const comparison = page.getByTestId("owner-comparison");
  await expect(comparison.getByRole("heading", { name: "You own this app" })).toBeVisible();
  await expect(comparison.getByRole("row", { name: /Requested/ })).toContainText(wrongUri);
  await expect(comparison.getByRole("row", { name: /Registered \(closest\)/ })).toContainText(app.redirectUri);
  await expect(comparison.locator("mark")).toHaveText(["/"]);
  expect(callbackHits).toBe(hitsBefore);
});
