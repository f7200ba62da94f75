/**
 * Gives every browser a CSRF nonce cookie on its first page view, before any
 * form renders (lib/auth/csrf.ts). This is not an authorization layer: pages
 * and handlers check the session themselves.
 */
import { NextResponse, type NextRequest } from "next/server";
import { csrfCookieName } from "@/lib/auth/csrf";
import { getConfig } from "@/lib/config";
import { randomToken } from "@/lib/crypto";

export function proxy(request: NextRequest) {
  const name = csrfCookieName();
  if (request.cookies.has(name)) return NextResponse.next();

  const nonce = randomToken(32);
  // Let this very request's page see the nonce, so its form carries a token.
  request.cookies.set(name, nonce);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(name, nonce, { httpOnly: true, sameSite: "lax", secure: getConfig().secureCookies, path: "/" });
  return response;
}

export const config = {
  // Pages only: protocol endpoints and static files never need the cookie.
  matcher: ["/((?!_next/|api/|oauth/|\\.well-known/|auth/|favicon\\.ico|brand-icon\\.svg).*)"],
};
