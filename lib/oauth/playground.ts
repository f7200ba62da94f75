/**
 * Every app's playground (/dashboard/apps/<id>/playground): its owner runs a
 * real authorization request against the app, landing back on the
 * playground page. That page's address is a redirect URI the app does not
 * register: the authorization endpoint accepts it for this app only, and
 * only when the person who authorizes is the app's owner; anyone else gets
 * an error page, never a code.
 */
import { getConfig } from "@/lib/config";

export function playgroundRedirectUri(clientId: string): string {
  return `${getConfig().issuer}/dashboard/apps/${encodeURIComponent(clientId)}/playground`;
}

export function isPlaygroundRedirect(clientId: string, redirectUri: string): boolean {
  return redirectUri === playgroundRedirectUri(clientId);
}
