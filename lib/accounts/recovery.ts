/**
 * "Forgot password": a reset link by mail, the same answer whether or not
 * the email has an account. Using the link sets the new password, ends every
 * session of the person (and tells their apps), clears the sign-in throttle
 * of the account and, since the link proved the mailbox, confirms the email.
 */
import { BUSY, findUserByEmail, findUserById, refused, type RetryLater } from "@/lib/accounts/users";
import { createEmailLink, INVITATION_TTL_SECONDS, LINK_TTL_SECONDS } from "@/lib/accounts/email-links";
import { consumeEmailToken, expireEmailTokensOf, findEmailToken } from "@/lib/accounts/store/email-tokens";
import { replacePassword } from "@/lib/accounts/store/people";
import { endAppTokensOf } from "@/lib/accounts/connections";
import { hashPassword, isPasswordHashingBusy } from "@/lib/auth/password";
import { clearAttempts, clearAttemptsStartingWith, takeAttempt } from "@/lib/auth/rate-limit";
import { recordEvent } from "@/lib/events";
import { queueMail } from "@/lib/mail/mailer";
import { invitationMail, passwordChangedMail, passwordResetMail } from "@/lib/mail/messages";
import type { User } from "@/lib/generated/prisma/client";
import { signedOut } from "@/lib/oauth/logout";

/** Reset requests per hour: per email (so nobody floods a mailbox) and per address. */
export const RESET_LIMITS = { perEmail: 3, perIp: 20, windowSeconds: 3600 };

export async function requestPasswordReset(email: string, context: { ip: string }): Promise<{ ok: true } | RetryLater> {
  const refusal =
    refused(await takeAttempt(`reset-ip:${context.ip}`, RESET_LIMITS.perIp, RESET_LIMITS.windowSeconds)) ??
    refused(await takeAttempt(`reset-email:${email}`, RESET_LIMITS.perEmail, RESET_LIMITS.windowSeconds));
  if (refusal) return refusal;
  const user = await findUserByEmail(email);
  if (user && !user.disabledAt) await mailPasswordLink(user);
  await recordEvent({
    type: "user.password_reset_requested",
    userId: user?.id,
    ip: context.ip,
    details: { email, existingAccount: Boolean(user) },
  });
  return { ok: true };
}

/**
 * Mails the person a link to set a password: a reset (30 minutes), or an
 * admin's invitation to a new account (7 days). Only the newest link works.
 */
export async function mailPasswordLink(user: User, invitation?: { invitedBy: string }): Promise<void> {
  await expireEmailTokensOf(user.id, "password_reset");
  const ttlSeconds = invitation ? INVITATION_TTL_SECONDS : LINK_TTL_SECONDS.password_reset;
  const link = await createEmailLink({ purpose: "password_reset", email: user.email, userId: user.id, ttlSeconds });
  await queueMail(
    invitation
      ? invitationMail(user.email, link, invitation.invitedBy, ttlSeconds / 86400)
      : passwordResetMail(user.email, link, ttlSeconds / 60),
  );
}

export type ResetResult = { ok: true; email: string } | { ok: false; reason: "invalid_link" } | RetryLater;

/** Uses of reset links per address per 15 minutes: junk links cannot fill the hashing queue and make sign-ins wait. */
export const RESET_USE_LIMIT = { perIp: 10, windowSeconds: 900 };

export async function resetPassword(token: string, newPassword: string, context: { ip: string }): Promise<ResetResult> {
  const refusal = refused(await takeAttempt(`reset-use-ip:${context.ip}`, RESET_USE_LIMIT.perIp, RESET_USE_LIMIT.windowSeconds));
  if (refusal) return refusal;
  // The link is checked before anything is hashed, and used only after: a busy server does not use it up.
  const pending = await findEmailToken(token);
  if (pending?.purpose !== "password_reset" || pending.usedAt || pending.expiresAt <= new Date())
    return { ok: false, reason: "invalid_link" };
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(newPassword);
  } catch (error) {
    if (!isPasswordHashingBusy(error)) throw error;
    return BUSY;
  }
  const link = await consumeEmailToken(token, "password_reset");
  const user = link?.userId ? await findUserById(link.userId) : null;
  if (!link || !user || user.disabledAt) return { ok: false, reason: "invalid_link" };
  await replacePassword(user.id, passwordHash, { verifyEmail: link.email === user.email });
  await expireEmailTokensOf(user.id, "password_reset");
  await clearAttempts(`account:${user.email}`);
  // Emails hold no spaces: the prefix names this account's counters from every address and no other's.
  await clearAttemptsStartingWith(`account-ip:${user.email} `);
  await signedOut(user.id, { ip: context.ip });
  await endAppTokensOf(user.id, "password_reset");
  await queueMail(passwordChangedMail(user.email));
  await recordEvent({ type: "user.password_reset", userId: user.id, ip: context.ip });
  return { ok: true, email: user.email };
}
