/**
 * Second factors: TOTP (RFC 6238: 6 digits, 30 s, SHA-1, as every
 * authenticator app reads it) with ten single-use recovery codes. The secret
 * is sealed with SERVER_SECRET; each time step is accepted once; recovery
 * codes are stored as keyed hashes. Passkeys are in lib/auth/passkeys.ts.
 */
import { randomBytes } from "node:crypto";
import * as OTPAuth from "otpauth";
import QRCode from "qrcode";
import { getConfig } from "@/lib/config";
import { hashSecret, seal, unseal } from "@/lib/crypto";
import { recordEvent } from "@/lib/events";
import type { User } from "@/lib/generated/prisma/client";
import { takeAttempt } from "@/lib/auth/rate-limit";
import {
  countPasskeys,
  countUnusedRecoveryCodes,
  removeTotp,
  replaceRecoveryCodes,
  saveTotp,
  takeRecoveryCode,
  takeTotpStep,
} from "@/lib/auth/store/factors";

const TOTP_SEAL = "totp-secret";
const ENROLMENT_SEAL = "totp-enrolment";
/** Codes from one step before or after are accepted too (clocks drift). */
const TOTP_WINDOW = 1;
const RECOVERY_CODE_COUNT = 10;

/** Second-factor guesses per person per 15 minutes: 10, so six digits cannot be guessed. */
export const SECOND_FACTOR_LIMIT = { attempts: 10, windowSeconds: 900 };

function totpFor(secret: OTPAuth.Secret, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: getConfig().brand.name, label, secret, algorithm: "SHA1", digits: 6, period: 30 });
}

export type TotpEnrolment = { sealed: string; secret: string; uri: string; qrSvg: string };

/**
 * A new secret to show as a QR code. Nothing is stored until a code from it
 * is confirmed: the secret travels sealed in the form (bound to this person),
 * so any instance can finish the enrolment.
 */
export async function beginTotpEnrolment(user: User): Promise<TotpEnrolment> {
  const secret = new OTPAuth.Secret({ size: 20 });
  const uri = totpFor(secret, user.email).toString();
  return {
    sealed: seal(JSON.stringify({ userId: user.id, secret: secret.base32, at: Date.now() }), ENROLMENT_SEAL),
    secret: secret.base32,
    uri,
    qrSvg: await QRCode.toString(uri, { type: "svg", margin: 1 }),
  };
}

/** How long a setup shown on the page can be confirmed: a copied page or form cannot set a secret days later. */
const ENROLMENT_TTL_MS = 15 * 60 * 1000;

export class SecondFactorError extends Error {
  override name = "SecondFactorError";
}

/** Confirms the enrolment with a code from the app; returns the recovery codes, shown once. An app already on is never replaced this way. */
export async function confirmTotpEnrolment(user: User, sealed: string, code: string): Promise<string[]> {
  if (user.totpSecretSealed) throw new SecondFactorError("Your authenticator app is already on: turn it off first to set up another.");
  let secret: string;
  try {
    const opened = JSON.parse(unseal(sealed, ENROLMENT_SEAL)) as { userId: string; secret: string; at?: number };
    if (opened.userId !== user.id) throw new Error("another person's enrolment");
    if (typeof opened.at !== "number" || Date.now() - opened.at > ENROLMENT_TTL_MS) throw new Error("expired");
    secret = opened.secret;
  } catch {
    throw new SecondFactorError("This setup expired. Start again.");
  }
  const delta = totpFor(OTPAuth.Secret.fromBase32(secret), user.email).validate({ token: normalizedDigits(code), window: TOTP_WINDOW });
  if (delta === null) throw new SecondFactorError("That code is not right. Check the time on your phone and try the newest code.");
  const codes = newRecoveryCodes();
  await saveTotp(user.id, seal(secret, TOTP_SEAL), codes.map(recoveryCodeHash));
  await recordEvent({ type: "user.second_factor_enabled", userId: user.id, details: { factor: "totp" } });
  return codes;
}

export async function disableTotp(user: User): Promise<void> {
  await removeTotp(user.id);
  await recordEvent({ type: "user.second_factor_disabled", userId: user.id, details: { factor: "totp" } });
}

export async function regenerateRecoveryCodes(user: User): Promise<string[]> {
  if (!user.totpSecretSealed) throw new SecondFactorError("Turn on the authenticator app first.");
  const codes = newRecoveryCodes();
  await replaceRecoveryCodes(user.id, codes.map(recoveryCodeHash));
  return codes;
}

/** Ten codes like "7kq2-m9xa-c4tp": 60 bits each, in an alphabet without look-alikes. */
function newRecoveryCodes(): string[] {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(12)].map((byte) => alphabet[byte % alphabet.length]).join("");
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

function recoveryCodeHash(code: string): string {
  return hashSecret(`recovery:${code.toLowerCase().replace(/[^a-z0-9]/g, "")}`);
}

function normalizedDigits(code: string): string {
  return code.replace(/\s/g, "");
}

export type SecondFactorCheck =
  | { ok: true; factor: "otp" | "recovery_code" }
  | { ok: false; reason: "wrong_code" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks a six-digit code or a recovery code. Counted first, per person; a
 * code from the app works once, a recovery code once ever.
 */
export async function checkSecondFactor(user: User, code: string, context: { ip: string }): Promise<SecondFactorCheck> {
  const attempt = await takeAttempt(`second-factor:${user.id}`, SECOND_FACTOR_LIMIT.attempts, SECOND_FACTOR_LIMIT.windowSeconds);
  if (!attempt.allowed) return { ok: false, reason: "throttled", retryAfterSeconds: attempt.retryAfterSeconds };
  const digits = normalizedDigits(code);
  if (user.totpSecretSealed && /^\d{6}$/.test(digits)) {
    const totp = totpFor(OTPAuth.Secret.fromBase32(unseal(user.totpSecretSealed, TOTP_SEAL)), user.email);
    const delta = totp.validate({ token: digits, window: TOTP_WINDOW });
    if (delta !== null && (await takeTotpStep(user.id, OTPAuth.TOTP.counter({ period: 30 }) + delta))) return { ok: true, factor: "otp" };
    return { ok: false, reason: "wrong_code" };
  }
  if (user.totpSecretSealed && (await takeRecoveryCode(user.id, recoveryCodeHash(code)))) {
    await recordEvent({
      type: "user.recovery_code_used",
      userId: user.id,
      ip: context.ip,
      details: { left: await countUnusedRecoveryCodes(user.id) },
    });
    return { ok: true, factor: "recovery_code" };
  }
  return { ok: false, reason: "wrong_code" };
}

export type FactorSummary = { totp: boolean; recoveryCodesLeft: number; passkeys: number };

export async function factorsOf(user: User): Promise<FactorSummary> {
  const [recoveryCodesLeft, passkeys] = await Promise.all([countUnusedRecoveryCodes(user.id), countPasskeys(user.id)]);
  return { totp: user.totpSecretSealed !== null, recoveryCodesLeft, passkeys };
}

/** Whether the person can give a second factor after the password. */
export async function hasSecondFactor(user: User): Promise<boolean> {
  return user.totpSecretSealed !== null || (await countPasskeys(user.id)) > 0;
}
