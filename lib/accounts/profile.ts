/**
 * A person's own account (/account): name, email (confirmed by mail before
 * it changes), password (the current one required), and deleting the
 * account. Changes that could take an account over ask for the password.
 */
import { z } from "zod";
import {
  emailSchema,
  findUserByEmail,
  findUserById,
  nameSchema,
  passwordSchema,
  BUSY,
  refused,
  type RetryLater,
} from "@/lib/accounts/users";
import { createEmailLink, LINK_TTL_SECONDS } from "@/lib/accounts/email-links";
import { endAppTokensOf, revokeAllConnections } from "@/lib/accounts/connections";
import { consumeEmailToken } from "@/lib/accounts/store/email-tokens";
import {
  deleteUserRow,
  EmailTakenError,
  oldestOtherAdmin,
  replacePassword,
  transferOwnership,
  updateUser,
} from "@/lib/accounts/store/people";
import { hashPassword, isPasswordHashingBusy, verifyPassword } from "@/lib/auth/password";
import { takeAttempt } from "@/lib/auth/rate-limit";
import { listSessionsOf } from "@/lib/auth/store/sessions";
import { signedOut } from "@/lib/oauth/logout";
import { getConfig } from "@/lib/config";
import { recordEvent } from "@/lib/events";
import type { User } from "@/lib/generated/prisma/client";
import { queueMail } from "@/lib/mail/mailer";
import { confirmEmailMail, emailChangedMail, passwordChangedMail } from "@/lib/mail/messages";
import { deleteClient, secureHandedOverClients } from "@/lib/oauth/clients";
import { removeWebhooksCreatedBy } from "@/lib/webhooks/webhooks";
import { deleteApi, listManagedApis } from "@/lib/oauth/apis";
import { listClientsOwnedBy } from "@/lib/oauth/store/clients";

/** A change the account's rules refuse, in words the form shows. */
export class AccountRuleError extends Error {
  override name = "AccountRuleError";
}

/** Password checks per person per 15 minutes on this page, so a left-open session cannot be used to guess it. */
const PASSWORD_CHECKS = { limit: 10, windowSeconds: 900 };

type Checked = { ok: true } | RetryLater | { ok: false; reason: "wrong_password"; retryAfterSeconds?: undefined };

/** The person's current password, before a change that could take the account over (throttled per person). */
export async function checkPassword(user: User, password: string): Promise<Checked> {
  const refusal = refused(await takeAttempt(`reauth:${user.id}`, PASSWORD_CHECKS.limit, PASSWORD_CHECKS.windowSeconds));
  if (refusal) return refusal;
  try {
    return (await verifyPassword(user.passwordHash, password)) ? { ok: true } : { ok: false, reason: "wrong_password" };
  } catch (error) {
    if (!isPasswordHashingBusy(error)) throw error;
    return BUSY;
  }
}

export async function updateName(user: User, name: string): Promise<void> {
  await updateUser(user.id, { name: nameSchema.parse(name) || null });
  await recordEvent({ type: "user.profile_updated", userId: user.id });
}

/** A new password: every other session ends (and the apps are told, by back-channel logout), and the person is told by mail. */
export async function changePassword(
  user: User,
  input: { current: string; next: string; keepSessionIdHash: string },
  context: { ip: string },
): Promise<Checked> {
  const next = passwordSchema.parse(input.next);
  const checked = await checkPassword(user, input.current);
  if (!checked.ok) return checked;
  let passwordHash: string;
  try {
    passwordHash = await hashPassword(next);
  } catch (error) {
    if (!isPasswordHashingBusy(error)) throw error;
    return BUSY;
  }
  const ending = (await listSessionsOf(user.id)).filter((session) => session.idHash !== input.keepSessionIdHash);
  await replacePassword(user.id, passwordHash, { keepSessionIdHash: input.keepSessionIdHash });
  // The apps hear of each session that ended (by its sid), not of the one that stays.
  for (const session of ending) await signedOut(user.id, { ip: context.ip, sid: session.sid });
  await endAppTokensOf(user.id, "password_changed");
  if (getConfig().mail.available) await queueMail(passwordChangedMail(user.email));
  await recordEvent({ type: "user.password_changed", userId: user.id, ip: context.ip });
  return { ok: true };
}

/**
 * Sends a confirmation link to the new address; the email changes only when
 * it is used. Whether the new address has an account is not said (nothing is
 * sent then), so this page tells nobody who has one.
 */
export async function requestEmailChange(
  user: User,
  input: { email: string; password: string },
  context: { ip: string },
): Promise<Checked> {
  const email = emailSchema.parse(input.email);
  if (email === user.email) throw new AccountRuleError("That is already your email.");
  if (!getConfig().mail.available)
    throw new AccountRuleError("Changing your email needs mail, which this portal cannot send. Ask an administrator.");
  const checked = await checkPassword(user, input.password);
  if (!checked.ok) return checked;
  const refusal = refused(await takeAttempt(`email-link:${user.id}`, 5, 3600));
  if (refusal) return refusal;
  if (!(await findUserByEmail(email))) {
    const link = await createEmailLink({ purpose: "verify_email", email, userId: user.id });
    await queueMail(confirmEmailMail(email, link, LINK_TTL_SECONDS.verify_email / 3600));
  }
  await recordEvent({ type: "user.email_verification_requested", userId: user.id, ip: context.ip, details: { change: true } });
  return { ok: true };
}

/** A link to confirm the email the account already has (accounts made by an admin or before confirmation existed). */
export async function requestEmailVerification(user: User, context: { ip: string }): Promise<{ ok: true } | RetryLater> {
  if (user.emailVerifiedAt) throw new AccountRuleError("Your email is already confirmed.");
  if (!getConfig().mail.available) throw new AccountRuleError("This portal cannot send mail. Ask an administrator.");
  const refusal = refused(await takeAttempt(`email-link:${user.id}`, 5, 3600));
  if (refusal) return refusal;
  const link = await createEmailLink({ purpose: "verify_email", email: user.email, userId: user.id });
  await queueMail(confirmEmailMail(user.email, link, LINK_TTL_SECONDS.verify_email / 3600));
  await recordEvent({ type: "user.email_verification_requested", userId: user.id, ip: context.ip });
  return { ok: true };
}

export type ConfirmEmailResult = { ok: true; email: string; changed: boolean } | { ok: false; reason: "invalid_link" | "email_taken" };

/** The link from a confirmation mail was used: the address is confirmed, and becomes the account's email if it was a change. */
export async function confirmEmail(token: string, context: { ip: string }): Promise<ConfirmEmailResult> {
  const link = await consumeEmailToken(token, "verify_email");
  const user = link?.userId ? await findUserById(link.userId) : null;
  if (!link || !user || user.disabledAt) return { ok: false, reason: "invalid_link" };
  const changed = link.email !== user.email;
  try {
    await updateUser(user.id, { email: link.email, emailVerifiedAt: new Date() });
  } catch (error) {
    if (error instanceof EmailTakenError) return { ok: false, reason: "email_taken" };
    throw error;
  }
  if (changed) await queueMail(emailChangedMail(user.email, link.email));
  await recordEvent({
    type: changed ? "user.email_changed" : "user.email_verified",
    userId: user.id,
    ip: context.ip,
    details: changed ? { from: user.email, to: link.email } : { email: link.email },
  });
  return { ok: true, email: link.email, changed };
}

export const deleteAccountSchema = z.object({
  confirmEmail: z.string().trim().toLowerCase(),
  apps: z.enum(["hand_over", "delete"]),
});

/** Deletes one's own account, after typing its email; its apps and APIs go to the longest-serving admin or are deleted. */
export async function deleteAccount(user: User, input: z.input<typeof deleteAccountSchema>, context: { ip: string }): Promise<void> {
  const { confirmEmail, apps } = deleteAccountSchema.parse(input);
  if (confirmEmail !== user.email) throw new AccountRuleError("Type your email exactly as shown to confirm.");
  const heir = await oldestOtherAdmin(user.id);
  if (user.isAdmin && !heir) throw new AccountRuleError("You are the only administrator: make someone else an administrator first.");
  if (apps === "hand_over" && !heir) throw new AccountRuleError("There is no administrator to hand your apps to: choose to delete them.");
  await eraseAccount(user, apps === "hand_over" ? heir : null, context);
  await recordEvent({
    type: "user.deleted",
    userId: user.id,
    ip: context.ip,
    details: { email: user.email, apps, ...(apps === "hand_over" && heir ? { handedTo: heir.id } : {}) },
  });
}

/**
 * Erases an account: every app's access revoked (the apps told first by
 * back-channel logout), its apps and APIs handed to `heir` or deleted when
 * there is none, then the person with their sessions, factors and links.
 */
export async function eraseAccount(user: User, heir: User | null, context: { ip?: string } = {}): Promise<void> {
  await revokeAllConnections(user.id, "account_deleted", context);
  if (heir) {
    const apps = await listClientsOwnedBy(user.id);
    await transferOwnership(user.id, heir.id);
    await secureHandedOverClients(apps, user.id, heir.id);
    await removeWebhooksCreatedBy(
      user.id,
      apps.map((app) => app.id),
    );
  } else {
    for (const client of await listClientsOwnedBy(user.id)) await deleteClient(client, user.id);
    for (const api of await listManagedApis({ id: user.id, isAdmin: false })) await deleteApi(api, user.id);
  }
  // Portal-wide webhooks they made (as an admin) send everyone's events to their addresses: they go too.
  await removeWebhooksCreatedBy(user.id, [null]);
  await deleteUserRow(user.id);
}
