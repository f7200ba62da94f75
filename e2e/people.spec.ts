/**
 * People's accounts in Chromium, with the portal's mail read from a real SMTP
 * server (tests/support/smtp-sink.ts) and TOTP codes computed here.
 */
import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import * as OTPAuth from "otpauth";
import { newUser } from "../tests/support/fixtures";
import { linkIn, mailTo } from "../tests/support/mailbox";
import { freshAddress, HttpSession } from "../tests/support/http-client";
import { refresh, workingRefreshToken } from "../tests/support/oauth";
import { beginTotpEnrolment, confirmTotpEnrolment } from "@/lib/auth/second-factor";
import { db } from "@/lib/db";

/** Signs in and waits to leave the sign-in page (unless the sign-in is expected to fail). */
async function signIn(page: Page, email: string, password: string, options: { fails?: boolean } = {}) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  if (!options.fails) await page.waitForURL((url) => url.pathname !== "/sign-in");
}

function baseUrl(page: Page): string {
  return new URL(page.url()).origin;
}

test("a person signs up, confirms the email from the mail, signs out and signs back in", async ({ page }) => {
  const email = `e2e-${randomUUID()}@example.com`;
  await page.goto("/sign-up");
  await expect(page.getByRole("heading", { name: "Create your Identity Portal account" })).toBeVisible();
  await page.getByLabel("Name").fill("Grace Hopper");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

  const mail = await mailTo(email, /Confirm your email/);
  await page.goto(linkIn(mail, baseUrl(page)));
  await expect(page.getByText(`Create your account for ${email}?`)).toBeVisible();
  await page.getByLabel("Password you chose").fill("a long enough password");
  await page.getByRole("button", { name: "Confirm and create my account" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Grace Hopper" })).toBeVisible();

  await page.goto("/account");
  await expect(page.getByRole("region", { name: "Email" }).getByText("Confirmed")).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await signIn(page, email, "a long enough password");
  await expect(page.getByRole("heading", { name: "Welcome, Grace Hopper" })).toBeVisible();

  // The link works once.
  await page.goto(linkIn(mail, baseUrl(page)));
  await expect(page.getByText("This link was already used. Each link works once.")).toBeVisible();
});

test("signing up with an email that has an account looks the same, and its owner gets a mail", async ({ page }) => {
  const owner = await newUser();
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password").fill("someone else's password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  expect((await mailTo(owner.email, /tried to create/)).text).toContain("No new account was created");
});

test("a person who forgot the password resets it from the mail, and the old one stops working", async ({ page }) => {
  const person = await newUser();
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await page.getByLabel("Email").fill(person.email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

  const link = linkIn(await mailTo(person.email, /Reset your/), baseUrl(page));
  await page.goto(link);
  await page.getByLabel("New password").fill("my new long password");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByText("Your password was changed and every session signed out.")).toBeVisible();
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill("my new long password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();

  await page.goto(link);
  await expect(page.getByText("This link was already used. Each link works once.")).toBeVisible();
  await page.getByRole("link", { name: "Ask for a new link" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
});

test("a person turns on an authenticator app, then signs in with a code and with a recovery code, once each", async ({ page }) => {
  const person = await newUser();
  await signIn(page, person.email, person.password);
  await page.goto("/account/security");
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent())!;
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
  await page.getByLabel("Code from the app").fill("123456" === totp.generate() ? "654321" : "123456");
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("That code is not right");
  await page.getByLabel("Code from the app").fill(totp.generate());
  await page.getByRole("button", { name: "Turn on" }).click();
  const codes = page.getByTestId("recovery-codes");
  await expect(codes).toBeVisible();
  const recoveryCodes = await codes.getByRole("listitem").allTextContents();
  expect(recoveryCodes).toHaveLength(10);

  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, person.email, person.password);
  await expect(page.getByRole("heading", { name: "Confirm it is you" })).toBeVisible();
  await page.getByLabel("Code from your authenticator app").fill(totp.generate({ timestamp: Date.now() + 30_000 }));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, person.email, person.password);
  await page.getByLabel("Code from your authenticator app").fill(recoveryCodes[0]!);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await page.goto("/account/security");
  await expect(page.getByTestId("recovery-codes-left")).toHaveText("9");

  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, person.email, person.password);
  await page.getByLabel("Code from your authenticator app").fill(recoveryCodes[0]!);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("That code is not right. Check your authenticator app and try again.");
});

test("a person changes name, password and email (confirmed from the mail sent to the new address), then deletes the account", async ({
  page,
}) => {
  const person = await newUser();
  const newEmail = `moved-${randomUUID()}@example.com`;
  await signIn(page, person.email, person.password);
  await page.goto("/account");

  const profile = page.getByRole("form", { name: "Profile" });
  await profile.getByLabel("Name").fill("Renamed Person");
  await profile.getByRole("button", { name: "Save name" }).click();
  await expect(profile.getByText("Your name was saved.")).toBeVisible();
  await expect(profile.getByLabel("Name")).toHaveValue("Renamed Person");

  const holder = new HttpSession(freshAddress());
  await holder.signIn(person.email, person.password);
  const { app, refreshToken } = await workingRefreshToken(holder);
  const password = page.getByRole("form", { name: "Change password" });
  await password.getByLabel("Current password").fill("not my password");
  await password.getByLabel("New password").fill("a second long password");
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByRole("alert")).toHaveText("The password is incorrect.");
  // The form is cleared after each answer (passwords are not kept in the page).
  await password.getByLabel("Current password").fill(person.password);
  await password.getByLabel("New password").fill("a second long password");
  await password.getByRole("button", { name: "Change password" }).click();
  await expect(password.getByText("Your password was changed")).toBeVisible();
  await mailTo(person.email, /password was changed/);
  // A token taken before the change, by a thief who knew the old password, stops working.
  expect(await (await refresh(app, refreshToken)).json()).toMatchObject({ error: "invalid_grant" });

  const email = page.getByRole("form", { name: "Change email" });
  await email.getByLabel("New email").fill(newEmail);
  await email.getByLabel("Current password").fill("a second long password");
  await email.getByRole("button", { name: "Send a link to the new address" }).click();
  await expect(email.getByText(`We sent a link to ${newEmail}`)).toBeVisible();
  await page.goto(linkIn(await mailTo(newEmail, /Confirm your email/), baseUrl(page)));
  await page.getByRole("button", { name: "Confirm this email" }).click();
  await expect(page.getByText("Your email is confirmed.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Email" })).toContainText(newEmail);
  expect((await mailTo(person.email, /email was changed/)).text).toContain(newEmail);

  const remove = page.getByRole("form", { name: "Delete account" });
  await remove.getByLabel(`Type ${newEmail} to confirm`).fill("someone@else.example");
  await remove.getByRole("button", { name: "Delete my account" }).click();
  await expect(remove.getByRole("alert")).toHaveText("Type your email exactly as shown to confirm.");
  await remove.getByLabel("Delete them").check();
  await remove.getByLabel(`Type ${newEmail} to confirm`).fill(newEmail);
  await remove.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByText("Your account was deleted")).toBeVisible();
  await signIn(page, newEmail, "a second long password", { fails: true });
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("The email or password is incorrect.");
});

test("a session that signed in with the password alone cannot make new recovery codes once the person has an authenticator app", async ({
  page,
}) => {
  const person = await newUser();
  await signIn(page, person.email, person.password);
  await page.goto("/account/security");
  // The authenticator app is turned on from another browser: this session never gave it.
  const enrolment = await beginTotpEnrolment(person.user);
  await confirmTotpEnrolment(
    person.user,
    enrolment.sealed,
    new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.secret) }).generate(),
  );
  await page.reload();
  await page.getByRole("button", { name: "Make new recovery codes" }).click();
  await expect(page.getByText("This needs your second factor").first()).toBeVisible();
  await expect(page.getByText("New recovery codes: the old ones no longer work.")).toHaveCount(0);
});

test("deleting the account needs a recent sign-in", async ({ page }) => {
  const person = await newUser();
  await signIn(page, person.email, person.password);
  await db().session.updateMany({ where: { userId: person.user.id }, data: { authTime: new Date(Date.now() - 10 * 60 * 1000) } });
  await page.goto("/account");
  await page.getByLabel(`Type ${person.email} to confirm`).fill(person.email);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByText("Confirm it is you first: sign in again").first()).toBeVisible();
  expect(await db().user.findUnique({ where: { id: person.user.id } })).not.toBeNull();
});
