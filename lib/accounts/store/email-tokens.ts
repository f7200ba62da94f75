/** One-time links sent by mail, stored as keyed hashes of their tokens. */
import { db } from "@/lib/db";
import { hashSecret } from "@/lib/crypto";
import type { EmailToken } from "@/lib/generated/prisma/client";

export type EmailTokenPurpose = "password_reset" | "sign_up" | "verify_email";

export async function insertEmailToken(input: {
  token: string;
  purpose: EmailTokenPurpose;
  email: string;
  userId?: string;
  name?: string;
  passwordHash?: string;
  returnTo?: string;
  expiresAt: Date;
}): Promise<void> {
  const { token, ...columns } = input;
  await db().emailToken.create({ data: { tokenHash: hashSecret(token), ...columns } });
}

export async function findEmailToken(token: string): Promise<EmailToken | null> {
  if (token.length > 100) return null;
  return db().emailToken.findUnique({ where: { tokenHash: hashSecret(token) } });
}

/** Marks the link used, once: of two requests with the same link, one wins. Returns it, or null when it was used, expired or never existed. */
export async function consumeEmailToken(token: string, purpose: EmailTokenPurpose): Promise<EmailToken | null> {
  if (token.length > 100) return null;
  const tokenHash = hashSecret(token);
  const now = new Date();
  const { count } = await db().emailToken.updateMany({
    where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count === 1 ? db().emailToken.findUnique({ where: { tokenHash } }) : null;
}

/** Other live links of a person for one purpose end (a new password makes older reset links useless). */
export async function expireEmailTokensOf(userId: string, purpose: EmailTokenPurpose): Promise<void> {
  await db().emailToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { expiresAt: new Date() } });
}
