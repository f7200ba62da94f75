/**
 * Browsers where someone has signed in to an account before (OWASP's "device
 * cookie"). The account-wide pace of sign-in attempts (lib/accounts/users.ts)
 * does not apply to them, so strangers guessing a person's password from
 * everywhere slow themselves down, not the person. The cookie holds, for each
 * of the last few accounts signed in here, a tag only the server can compute;
 * it proves a past success on this browser and grants nothing else.
 */
import { createHmac } from "node:crypto";
import { cookies } from "next/headers";
import { getConfig } from "@/lib/config";
import { derivedKey } from "@/lib/crypto";

const MAX_ACCOUNTS = 5;
const MAX_AGE_SECONDS = 365 * 24 * 3600;

function cookieName(): string {
  return getConfig().secureCookies ? "__Host-portal_known" : "portal_known";
}

function tagFor(email: string): string {
  return createHmac("sha256", derivedKey("known-device")).update(email).digest("base64url").slice(0, 22);
}

/** The tags in a cookie value (never more than MAX_ACCOUNTS are read). */
function tagsIn(value: string | undefined): string[] {
  return (value ?? "").split(".").filter(Boolean).slice(0, MAX_ACCOUNTS);
}

export function isKnownDeviceFor(cookieValue: string | undefined, email: string): boolean {
  return tagsIn(cookieValue).includes(tagFor(email));
}

/** The cookie value after a successful sign-in to `email`: newest first, the oldest dropped. */
export function rememberAccount(cookieValue: string | undefined, email: string): string {
  const tag = tagFor(email);
  return [tag, ...tagsIn(cookieValue).filter((other) => other !== tag)].slice(0, MAX_ACCOUNTS).join(".");
}

export async function isKnownDevice(email: string): Promise<boolean> {
  return isKnownDeviceFor((await cookies()).get(cookieName())?.value, email);
}

export async function markKnownDevice(email: string): Promise<void> {
  const jar = await cookies();
  jar.set(cookieName(), rememberAccount(jar.get(cookieName())?.value, email), {
    httpOnly: true,
    sameSite: "lax",
    secure: getConfig().secureCookies,
    path: "/",
    maxAge: MAX_AGE_SECONDS,
  });
}
