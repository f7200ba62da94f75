/** People with accounts: sign-up, sign-in (throttled) and look-up. */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { hashPassword, isPasswordHashingBusy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from "@/lib/auth/password";
import { settleAttempts, takeAttempts, type AttemptResult, type Counter } from "@/lib/auth/rate-limit";
import { getConfig } from "@/lib/config";
import { recordEvent } from "@/lib/events";
import { metrics } from "@/lib/metrics";
import type { User } from "@/lib/generated/prisma/client";
import { EmailTakenError, findUserByEmail, findUserById, insertUser } from "@/lib/accounts/store/people";

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("Enter a valid email address").max(254, "Email is too long"));

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`);

export const nameSchema = z.string().trim().max(100, "Name is too long");

export const newUserSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema.optional().transform((name) => name || undefined),
  isAdmin: z.boolean().default(false),
});

export type NewUser = z.input<typeof newUserSchema>;

export { EmailTakenError, findUserByEmail, findUserById };

/** An account made by an admin, the CLI or the seed: its email is not confirmed until its owner confirms it. */
export async function createUser(input: NewUser, context: { ip?: string } = {}): Promise<User> {
  const { email, password, name, isAdmin } = newUserSchema.parse(input);
  const user = await insertUser({ id: randomUUID(), email, name, passwordHash: await hashPassword(password), isAdmin });
  await recordEvent({ type: "user.signed_up", userId: user.id, ip: context.ip });
  return user;
}

/** Refused for now: too many attempts (throttled), or too many password hashes at once (busy). */
export type RetryLater = { ok: false; reason: "throttled" | "busy"; retryAfterSeconds: number };

export type SignInResult = { ok: true; user: User } | { ok: false; reason: "invalid_credentials" | "account_disabled" } | RetryLater;

/**
 * Checks a person's credentials. Attempts are counted before the password is
 * checked, on three counters:
 * - the address: a fixed number per window, whatever the accounts;
 * - the account from this address: a fixed number per window, so one place
 *   cannot keep guessing one password;
 * - the account from anywhere: after the same number, one attempt per pace,
 *   never a lock, and not at all on a browser where this account has signed in
 *   before (`knownDevice`), so strangers cannot keep its owner out.
 * A success clears the account's counters and gives the address its attempt
 * back, so only failures add up.
 */
export async function signIn(input: { email: string; password: string; ip: string; knownDevice: boolean }): Promise<SignInResult> {
  const result = await checkSignIn(input);
  metrics().signIns.inc({ outcome: result.ok ? "success" : result.reason });
  return result;
}

async function checkSignIn(input: { email: string; password: string; ip: string; knownDevice: boolean }): Promise<SignInResult> {
  const { maxAttemptsPerAccount, maxAttemptsPerIp, windowSeconds, accountPaceSeconds } = getConfig().signInThrottle;
  const email = input.email.trim().toLowerCase();
  const ipKey = `ip:${input.ip}`;
  const pairKey = `account-ip:${email} ${input.ip}`;
  const accountKey = `account:${email}`;

  const counters: Counter[] = [
    { key: ipKey, limit: maxAttemptsPerIp, windowSeconds },
    { key: pairKey, limit: maxAttemptsPerAccount, windowSeconds },
    ...(input.knownDevice ? [] : [{ key: accountKey, limit: maxAttemptsPerAccount, windowSeconds, paceSeconds: accountPaceSeconds }]),
  ];
  const refusal = refused(await takeAttempts(counters));
  if (refusal) {
    await recordEvent({ type: "user.sign_in_throttled", ip: input.ip, details: { email } });
    return refusal;
  }

  const user = await findUserByEmail(email);
  let passwordOk: boolean;
  try {
    passwordOk = await verifyPassword(user?.passwordHash ?? null, input.password);
  } catch (error) {
    if (!isPasswordHashingBusy(error)) throw error;
    // Not the person's fault: the attempt does not count.
    await settleAttempts({ giveBack: counters.map((counter) => counter.key) });
    return BUSY;
  }
  if (!user || !passwordOk) {
    await recordEvent({ type: "user.sign_in_failed", userId: user?.id, ip: input.ip, details: { email } });
    return { ok: false, reason: "invalid_credentials" };
  }
  await settleAttempts({ clear: [accountKey, pairKey], giveBack: [ipKey] });
  // Said only to someone who proved the password, so it reveals nothing.
  if (user.disabledAt) return { ok: false, reason: "account_disabled" };
  await recordEvent({ type: "user.signed_in", userId: user.id, ip: input.ip });
  return { ok: true, user };
}

export const BUSY: RetryLater = { ok: false, reason: "busy", retryAfterSeconds: 1 };

export function refused(result: AttemptResult): RetryLater | undefined {
  return result.allowed ? undefined : { ok: false, reason: "throttled", retryAfterSeconds: result.retryAfterSeconds };
}
