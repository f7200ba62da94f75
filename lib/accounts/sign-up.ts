/**
 * Sign-up from the page, confirmed by mail. The answer is "check your email"
 * whether or not the email has an account, so the page tells nobody who has
 * one: a new email gets a link that creates the account when used; an email
 * with an account gets a mail telling its owner. An account exists only once
 * its email is proved, so nobody can hold an address they do not receive; and
 * the link makes it only with the password chosen at sign-up typed again, so a
 * person who opens a link someone else asked for does not end up with an
 * account whose password that stranger knows.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { BUSY, findUserByEmail, newUserSchema, refused, type RetryLater } from "@/lib/accounts/users";
import { createEmailLink, LINK_TTL_SECONDS } from "@/lib/accounts/email-links";
import { consumeEmailToken, findEmailToken } from "@/lib/accounts/store/email-tokens";
import { EmailTakenError, insertUser } from "@/lib/accounts/store/people";
import { hashPassword, isPasswordHashingBusy, verifyPassword } from "@/lib/auth/password";
import { takeAttempt } from "@/lib/auth/rate-limit";
import { getConfig } from "@/lib/config";
import { recordEvent } from "@/lib/events";
import { queueMail } from "@/lib/mail/mailer";
import { confirmSignUpMail, signUpAttemptMail } from "@/lib/mail/messages";
import type { User } from "@/lib/generated/prisma/client";

export const signUpSchema = newUserSchema.pick({ email: true, password: true, name: true });

/** Confirmation mails one address may be sent per hour through sign-up, so the form cannot flood a mailbox. */
const MAILS_PER_EMAIL_PER_HOUR = 5;

export async function startSignUp(
  input: z.output<typeof signUpSchema> & { returnTo: string },
  context: { ip: string },
): Promise<{ ok: true } | RetryLater> {
  const { maxPerIp, windowSeconds } = getConfig().signUpThrottle;
  const refusal =
    refused(await takeAttempt(`sign-up-ip:${context.ip}`, maxPerIp, windowSeconds)) ??
    refused(await takeAttempt(`sign-up-email:${input.email}`, MAILS_PER_EMAIL_PER_HOUR, 3600));
  if (refusal) return refusal;
  // Hashed in both cases, so both answers take as long.
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(input.password);
  } catch (error) {
    if (!isPasswordHashingBusy(error)) throw error;
    return BUSY;
  }
  const existing = await findUserByEmail(input.email);
  const { issuer, passwordReset } = getConfig();
  if (existing) {
    const resetUrl = passwordReset ? `${issuer}/forgot-password` : null;
    await queueMail(signUpAttemptMail(existing.email, `${issuer}/sign-in`, resetUrl));
  } else {
    const link = await createEmailLink({
      purpose: "sign_up",
      email: input.email,
      name: input.name,
      passwordHash,
      returnTo: input.returnTo,
    });
    await queueMail(confirmSignUpMail(input.email, link, LINK_TTL_SECONDS.sign_up / 3600));
  }
  await recordEvent({
    type: "user.sign_up_requested",
    userId: existing?.id,
    ip: context.ip,
    details: { email: input.email, existingAccount: Boolean(existing) },
  });
  return { ok: true };
}

export type ConfirmSignUpResult =
  | { ok: true; user: User; returnTo: string }
  | { ok: false; reason: "invalid_link" | "account_exists" | "not_your_sign_up" }
  | RetryLater;

/** Confirmations tried per address per 15 minutes: the password typed is checked against the one chosen. */
const CONFIRMATIONS_PER_IP = 10;

/** The link from the confirmation mail was used with the password chosen at sign-up: the account is created, its email confirmed. */
export async function confirmSignUp(token: string, password: string, context: { ip: string }): Promise<ConfirmSignUpResult> {
  const refusal = refused(await takeAttempt(`sign-up-confirm-ip:${context.ip}`, CONFIRMATIONS_PER_IP, 900));
  if (refusal) return refusal;
  const pending = await findEmailToken(token);
  if (pending?.purpose !== "sign_up" || pending.usedAt || pending.expiresAt <= new Date() || !pending.passwordHash)
    return { ok: false, reason: "invalid_link" };
  let matches: boolean;
  try {
    matches = await verifyPassword(pending.passwordHash, password);
  } catch (error) {
    if (!isPasswordHashingBusy(error)) throw error;
    return BUSY;
  }
  // The link stays usable: the person who asked for it may still type their password.
  if (!matches) return { ok: false, reason: "not_your_sign_up" };
  const link = await consumeEmailToken(token, "sign_up");
  if (!link?.passwordHash) return { ok: false, reason: "invalid_link" };
  try {
    const user = await insertUser({
      id: randomUUID(),
      email: link.email,
      name: link.name,
      passwordHash: link.passwordHash,
      emailVerifiedAt: new Date(),
    });
    await recordEvent({ type: "user.signed_up", userId: user.id, ip: context.ip });
    return { ok: true, user, returnTo: link.returnTo ?? "/" };
  } catch (error) {
    // Two sign-ups for one email, both confirmed: the first made the account.
    if (error instanceof EmailTakenError) return { ok: false, reason: "account_exists" };
    throw error;
  }
}
