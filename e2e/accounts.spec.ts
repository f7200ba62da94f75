import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { newUser } from "../tests/support/fixtures";
import { freshAddress, HttpSession } from "../tests/support/http-client";
import { refresh, workingRefreshToken } from "../tests/support/oauth";

/** The demo admin's password: random, printed once by the test server's first start (into its log). */
function demoPassword(): string {
  const match = /demo@example\.com \/ password: (\S+)/.exec(readFileSync(process.env.PORTAL_TEST_LOG_FILE!, "utf8"));
  if (!match) throw new Error("the test server's log does not show the demo password");
  return match[1]!;
}

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
  await page.getByLabel("Password").fill(demoPassword());
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
  await page.getByLabel("Password").fill(demoPassword());
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Demo User" })).toBeVisible();
  await context.close();
});

test("a person ends a session of another browser from the sessions page, and then all others", async ({ page, browser }) => {
  const person = await newUser();
  const signIn = async (target: typeof page) => {
    await target.goto("/sign-in");
    await target.getByLabel("Email").fill(person.email);
    await target.getByLabel("Password").fill(person.password);
    await target.getByRole("button", { name: "Sign in" }).click();
    await expect(target).not.toHaveURL(/sign-in/);
  };
  const others = await Promise.all([browser.newContext(), browser.newContext()]);
  const [second, third] = await Promise.all(others.map((context) => context.newPage()));
  await signIn(page);
  await signIn(second!);
  await signIn(third!);

  await page.goto("/account/sessions");
  const list = page.getByRole("list", { name: "Your sessions" });
  await expect(list.getByRole("listitem")).toHaveCount(3);
  await expect(list).toContainText("This browser");
  await list
    .getByRole("button", { name: /End session/ })
    .first()
    .click();
  await expect(page.getByText("1 session was ended.")).toBeVisible();
  await expect(list.getByRole("listitem")).toHaveCount(2);
  // What an app holds for the person is one more place a thief could keep: it ends too.
  const holder = new HttpSession(freshAddress());
  await holder.signIn(person.email, person.password);
  const { app, refreshToken } = await workingRefreshToken(holder);
  await page.reload();
  await page.getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(page.getByText("2 sessions were ended.")).toBeVisible();
  await expect(list.getByRole("listitem")).toHaveCount(1);
  expect(await (await refresh(app, refreshToken)).json()).toMatchObject({ error: "invalid_grant" });

  for (const other of [second!, third!]) {
    await other.goto("/account/connections");
    await expect(other).toHaveURL(/sign-in/);
  }
  await Promise.all(others.map((context) => context.close()));
});
