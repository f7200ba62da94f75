import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";

test("a person signs up, signs out and signs back in", async ({ page }) => {
  const email = `e2e-${randomUUID()}@example.com`;
  await page.goto("/sign-up");
  await expect(page.getByRole("heading", { name: "Create your Identity Portal account" })).toBeVisible();
  await page.getByLabel("Name").fill("Grace Hopper");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.getByRole("heading", { name: "Welcome, Grace Hopper" })).toBeVisible();
  await expect(page.getByRole("main").getByText(email)).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Grace Hopper" })).toBeVisible();
});

test("a wrong password shows a message and keeps the email typed", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("demo@example.com");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("The email or password is incorrect.");
  await expect(page.getByLabel("Email")).toHaveValue("demo@example.com");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("the seeded demo user can sign in, and the page is branded", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page).toHaveTitle("Sign in · Identity Portal");
  await expect(page.locator('img[src="/brand-icon.svg"]')).toBeVisible();
  await page.getByLabel("Email").fill("demo@example.com");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Demo User" })).toBeVisible();
});

test("signing in without JavaScript works through plain form posts", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("demo@example.com");
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("The email or password is incorrect.");
  await page.getByLabel("Email").fill("demo@example.com");
  await page.getByLabel("Password").fill("demo-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Demo User" })).toBeVisible();
  await context.close();
});
