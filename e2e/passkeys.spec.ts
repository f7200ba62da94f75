/**
 * Passkeys in Chromium with its virtual authenticator (DevTools protocol
 * WebAuthn domain). WebAuthn names the relying party by domain, never by IP
 * address, so these run against an instance whose issuer is localhost.
 */
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { linkIn, mailTo } from "../tests/support/mailbox";
import { startTestServer, type TestServer } from "../tests/support/test-server";

let portal: TestServer;

test.beforeAll(async () => {
  portal = await startTestServer({ issuerHost: "localhost" });
});

test.afterAll(async () => {
  await portal?.stop();
});

/** A platform authenticator that holds discoverable credentials and verifies the person (as Touch ID does). */
async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** A person of this instance, signed up through its own pages and mail. */
async function newPerson(page: Page) {
  const person = { email: `passkey-${randomUUID()}@example.com`, password: "a long enough password" };
  await page.goto(`${portal.baseUrl}/sign-up`);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.goto(linkIn(await mailTo(person.email, /Confirm/, { dir: portal.mailDir }), portal.baseUrl));
  await page.getByLabel("Password you chose").fill(person.password);
  await page.getByRole("button", { name: "Confirm and create my account" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  return person;
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${portal.baseUrl}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

test("a person adds a passkey, signs in with it alone, uses it as the second factor, renames and removes it", async ({ page }) => {
  await virtualAuthenticator(page);
  const person = await newPerson(page);

  await page.goto(`${portal.baseUrl}/account/security`);
  await page.getByLabel("Passkey name").fill("Test laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByText("Your passkey was added.")).toBeVisible();
  const list = page.getByRole("list", { name: "Your passkeys" });
  await expect(list).toContainText("Test laptop");

  // Alone: no email, no password.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();

  // As the second factor after the password.
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, person.email, person.password);
  await expect(page.getByRole("heading", { name: "Confirm it is you" })).toBeVisible();
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();

  await page.goto(`${portal.baseUrl}/account/security`);
  await list.getByLabel("New name").fill("Renamed laptop");
  await list.getByRole("button", { name: "Rename" }).click();
  await expect(list.getByText("Renamed.")).toBeVisible();
  await list.locator("summary", { hasText: "Remove Renamed laptop" }).click();
  await list.getByRole("button", { name: "Remove now Renamed laptop" }).click();
  await expect(page.getByText("The passkey was removed.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Your passkeys" })).toHaveCount(0);

  // The authenticator still holds the credential, but the portal no longer knows it.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(
    "The passkey was not accepted. Try again, or sign in with your password.",
  );
  await expect(page).toHaveURL(/\/sign-in/);
});
