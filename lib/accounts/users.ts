/** People with accounts: sign-up, sign-in (throttled) and look-up. */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyPassword } from "@/lib/auth/password";
import { clearAttempts, returnAttempt, takeAttempt } from "@/lib/auth/rate-limit";
import { getConfig } from "@/lib/config";
import { db } from "@/lib/db";
import { recordEvent } from "@/lib/events";
import { Prisma, type User } from "@/lib/generated/prisma/client";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email("Enter a valid email address").max(254, "Email is too long"));

export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters`);

export const newUserSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().max(100, "Name is too long").optional().transform((name) => name || undefined),
  isAdmin: z.boolean().default(false),
});

export type NewUser = z.input<typeof newUserSchema>;

export class EmailTakenError extends Error {
  override name = "EmailTakenError";
  constructor() {
    super("An account with this email already exists");
  }
}

export async function createUser(input: NewUser, context: { ip?: string } = {}): Promise<User> {
  const { email, password, name, isAdmin } = newUserSchema.parse(input);
  const passwordHash = await hashPassword(password);
  try {
    const user = await db().user.create({ data: { id: randomUUID(), email, name, passwordHash, isAdmin } });
    await recordEvent({ type: "user.signed_up", userId: user.id, ip: context.ip });
    return user;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new EmailTakenError();
    throw error;
  }
}

export function findUserById(id: string): Promise<User | null> {
  return db().user.findUnique({ where: { id } });
}

export function findUserByEmail(email: string): Promise<User | null> {
  return db().user.findUnique({ where: { email: email.trim().toLowerCase() } });
}

export type SignInResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid_credentials" | "account_disabled" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks a person's credentials. Attempts are counted per account and per
 * address before the password is checked; a success clears the account's
 * count and gives the address its attempt back, so only failures add up.
 */
export async function signIn(input: { email: string; password: string; ip: string }): Promise<SignInResult> {
  const { maxAttemptsPerAccount, maxAttemptsPerIp, windowSeconds } = getConfig().signInThrottle;
  const email = input.email.trim().toLowerCase();
  const accountKey = `account:${email}`;
  const ipKey = `ip:${input.ip}`;

  const byIp = await takeAttempt(ipKey, maxAttemptsPerIp, windowSeconds);
  const byAccount = await takeAttempt(accountKey, maxAttemptsPerAccount, windowSeconds);
  const refusals = [byIp, byAccount].filter((result) => !result.allowed);
  if (refusals.length > 0) {
    const retryAfterSeconds = Math.max(...refusals.map((result) => result.retryAfterSeconds));
    await recordEvent({ type: "user.sign_in_throttled", ip: input.ip, details: { email } });
    return { ok: false, reason: "throttled", retryAfterSeconds };
  }

  const user = await findUserByEmail(email);
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !passwordOk) {
    await recordEvent({ type: "user.sign_in_failed", userId: user?.id, ip: input.ip, details: { email } });
    return { ok: false, reason: "invalid_credentials" };
  }
  await clearAttempts(accountKey);
  await returnAttempt(ipKey);
  // Said only to someone who proved the password, so it reveals nothing.
  if (user.disabledAt) return { ok: false, reason: "account_disabled" };
  await recordEvent({ type: "user.signed_in", userId: user.id, ip: input.ip });
  return { ok: true, user };
}
