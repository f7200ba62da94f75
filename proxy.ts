/**
 * Gives every browser a CSRF nonce cookie on its first page load, before any
 * form renders (lib/auth/csrf.ts). This is not an authorization layer: pages
 * and handlers check the session themselves.
 */
import { NextResponse, type NextRequest } from "next/server";
import { csrfCookieName } from "@/lib/auth/csrf";
import { getConfig } from "@/lib/config";
import { randomToken } from "@/lib/crypto";

export function proxy(request: NextRequest) {
  const name = csrfCookieName();
  if (request.cookies.has(name) || !isPageLoad(request)) return NextResponse.next();

  const nonce = randomToken(32);
  // Let this very request's page see the nonce, so its form carries a token.
  request.cookies.set(name, nonce);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(name, nonce, { httpOnly: true, sameSite: "lax", secure: getConfig().secureCookies, path: "/" });
  return response;
}

/**
 * Only a page load mints a nonce, not the router's fetches (prefetches and
 * client-side navigations, whose Next.js headers a proxy cannot see): a page's
 * links prefetch again when its cookies are cleared, and a nonce minted there
 * would replace, moments later, the one a page just rendered its form with.
 * Clients that send no Sec-Fetch-Dest (curl, tests) are treated as page loads.
 */
function isPageLoad(request: NextRequest): boolean {
  const destination = request.headers.get("sec-fetch-dest");
  return destination === null || destination === "document";
}

export const config = {
  // Pages only: protocol endpoints and static files never need the cookie.
  matcher: ["/((?!_next/|api/|oauth/|\\.well-known/|auth/|favicon\\.ico|brand-icon\\.svg).*)"],
};
