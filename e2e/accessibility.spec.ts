import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { newClient, newUser } from "../tests/support/fixtures";
import { authorizationParams, authorizePath } from "../tests/support/http-client";
import { userTokens } from "../tests/support/oauth";

/** WCAG 2.1 A and AA rules; serious and critical violations fail, listed by rule and element. */
async function expectNoSeriousViolations(page: Page, name: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  expect(serious, `${name} has accessibility violations`).toEqual([]);
}

async function signIn(page: Page, person: { email: string; password: string }) {
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("sign-in and consent have no serious accessibility violations", async ({ page }) => {
  const person = await newUser();
  const app = await newClient({ name: "Accessible App" });
  await page.goto(authorizePath(authorizationParams(app, { scope: "openid profile email" })));
  await expect(page.getByRole("heading", { name: /Sign in/ })).toBeVisible();
  await expectNoSeriousViolations(page, "sign-in");

  await signIn(page, person);
  await expect(page.getByRole("button", { name: "Authorize" })).toBeVisible();
  await expectNoSeriousViolations(page, "consent");
});

test("the dashboard and connected apps have no serious accessibility violations", async ({ page }) => {
  // Seven pages, each loaded and scanned by axe (2–4 s a scan on two cores): 25 s on a quiet machine.
  test.setTimeout(90_000);
  const { person } = await userTokens({ name: "Connected Thing" });
  const owned = await newClient({ name: "Owned Thing", ownerId: person.user.id, isConfidential: true });
  await page.goto("/sign-in");
  await signIn(page, person);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();

  for (const [path, heading] of [
    ["/dashboard/apps", "Your apps"],
    ["/dashboard/apps/new", "Register an app"],
    [`/dashboard/apps/${owned.clientId}`, "Owned Thing"],
    ["/account/connections", "Connected apps"],
    ["/account", "Your account"],
    ["/account/security", "Security"],
    ["/account/sessions", "Sessions"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expectNoSeriousViolations(page, path);
  }
});

test("the sign-up, password reset and second-factor pages have no serious accessibility violations", async ({ page }) => {
  for (const [path, heading] of [
    ["/sign-up", "Create your Identity Portal account"],
    ["/sign-up/check-email", "Check your email"],
    ["/forgot-password", "Reset your password"],
    ["/reset-password?token=unknown", "Choose a new password"],
    ["/sign-in/second-factor", "Sign in again"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expectNoSeriousViolations(page, path);
  }
});
