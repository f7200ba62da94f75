/**
 * One-time links sent by mail: 256 random bits in the link, only a keyed hash
 * stored, used once. Opening a link shows a page with a button; only the
 * button's form post uses it, so mail scanners that fetch links use nothing.
 */
import { getConfig } from "@/lib/config";
import { randomToken } from "@/lib/crypto";
import { findEmailToken, insertEmailToken, type EmailTokenPurpose } from "@/lib/accounts/store/email-tokens";

export const LINK_TTL_SECONDS: Record<EmailTokenPurpose, number> = {
  password_reset: 30 * 60,
  sign_up: 24 * 3600,
  verify_email: 24 * 3600,
};

const LINK_PATHS: Record<EmailTokenPurpose, string> = {
  password_reset: "/reset-password",
  sign_up: "/sign-up/confirm",
  verify_email: "/account/email/confirm",
};

/** An admin's invitation is a password link that lasts longer: people do not read mail within 30 minutes. */
export const INVITATION_TTL_SECONDS = 7 * 24 * 3600;

/** Stores a new link and returns its URL. */
export async function createEmailLink(input: {
  purpose: EmailTokenPurpose;
  email: string;
  userId?: string;
  name?: string;
  passwordHash?: string;
  returnTo?: string;
  ttlSeconds?: number;
}): Promise<string> {
  const { ttlSeconds = LINK_TTL_SECONDS[input.purpose], ...link } = input;
  const token = randomToken(32);
  await insertEmailToken({ token, ...link, expiresAt: new Date(Date.now() + ttlSeconds * 1000) });
  const url = new URL(LINK_PATHS[input.purpose], getConfig().issuer);
  url.searchParams.set("token", token);
  return url.toString();
}

export type LinkState = { state: "valid"; email: string } | { state: "used" | "expired" | "unknown" };

/** What the page behind a link says before its button is pressed. */
export async function emailLinkState(token: string, purpose: EmailTokenPurpose): Promise<LinkState> {
  const row = token ? await findEmailToken(token) : null;
  if (!row || row.purpose !== purpose) return { state: "unknown" };
  if (row.usedAt) return { state: "used" };
  if (row.expiresAt.getTime() <= Date.now()) return { state: "expired" };
  return { state: "valid", email: row.email };
}
