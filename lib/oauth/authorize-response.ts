/** Turns an authorization flow outcome into the HTTP response. */
import { brand } from "@/lib/brand";
import { getConfig } from "@/lib/config";
import { renderAuthorizationErrorPage } from "@/lib/oauth/authorization-error-page";
import type { AuthorizeOutcome } from "@/lib/oauth/authorize";

const PAGE_HEADERS = {
  "Cache-Control": "no-store",
  // RFC 9700 §4.16 and §4.2, set here too so these responses never depend on next.config.
  "Content-Security-Policy": "frame-ancestors 'none'",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
};

/**
 * Redirects are 302 after a GET and 303 after a POST (RFC 9700 §4.12: never
 * 307, which would re-post the form to the client).
 */
export function authorizeResponse(outcome: AuthorizeOutcome, method: "GET" | "POST"): Response {
  if (outcome.type === "redirect") {
    // Client redirect URIs go out exactly as registered; the portal's own paths are made absolute.
    const location = outcome.location.startsWith("/") ? `${getConfig().issuer}${outcome.location}` : outcome.location;
    return new Response(null, { status: method === "GET" ? 302 : 303, headers: { ...PAGE_HEADERS, Location: location } });
  }
  return new Response(renderAuthorizationErrorPage(outcome.page, brand()), {
    status: 400,
    headers: { ...PAGE_HEADERS, "Content-Type": "text/html; charset=utf-8" },
  });
}
