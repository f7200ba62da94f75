/**
 * CSRF protection for every form (RFC 6749 §10.12). A random nonce lives in an
 * httpOnly cookie, set by proxy.ts on the first page load; forms carry
 * HMAC(nonce), which only the server can compute, so a cookie planted by a
 * sibling domain does not help an attacker. Requests whose Origin (or
 * Sec-Fetch-Site) shows another site are refused outright.
 */
import { createHmac } from "node:crypto";
import { cookies } from "next/headers";
import { getConfig } from "@/lib/config";
import { constantTimeEqual, derivedKey } from "@/lib/crypto";

export { CSRF_FIELD } from "@/lib/auth/csrf-field";
import { CSRF_FIELD } from "@/lib/auth/csrf-field";

export function csrfCookieName(): string {
  return getConfig().secureCookies ? "__Host-portal_csrf" : "portal_csrf";
}

export function csrfTokenForNonce(nonce: string): string {
  return createHmac("sha256", derivedKey("csrf")).update(nonce).digest("base64url");
}

/** The token to put in a form rendered now. */
export async function csrfToken(): Promise<string> {
  const nonce = (await cookies()).get(csrfCookieName())?.value;
  // proxy.ts sets the cookie before any page renders; without it no form can pass.
  return nonce ? csrfTokenForNonce(nonce) : "";
}

export function isSameOriginRequest(headers: Headers): boolean {
  const origin = headers.get("origin");
  // Pages send Referrer-Policy: no-referrer, under which browsers send
  // `Origin: null` on form posts; Sec-Fetch-Site then tells where it came from.
  if (origin !== null && origin !== "null") return origin === new URL(getConfig().issuer).origin;
  const site = headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}

export function csrfValid(input: { headers: Headers; cookieNonce: string | undefined; formToken: unknown }): boolean {
  if (!isSameOriginRequest(input.headers)) return false;
  if (!input.cookieNonce || typeof input.formToken !== "string" || input.formToken === "") return false;
  return constantTimeEqual(csrfTokenForNonce(input.cookieNonce), input.formToken);
}

/** Checks a submitted form in a route handler. */
export async function verifyCsrf(request: Request, form: FormData): Promise<boolean> {
  const cookieNonce = (await cookies()).get(csrfCookieName())?.value;
  return csrfValid({ headers: request.headers, cookieNonce, formToken: form.get(CSRF_FIELD) });
}

/** Checks the token a page's script sends in a JSON body (the passkey calls), with the same Origin rule as forms. */
export async function verifyCsrfToken(request: Request, token: unknown): Promise<boolean> {
  const cookieNonce = (await cookies()).get(csrfCookieName())?.value;
  return csrfValid({ headers: request.headers, cookieNonce, formToken: token });
}
