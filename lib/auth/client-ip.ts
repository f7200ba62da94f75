/** The address a request came from, for throttling and the audit log. */
import { getConfig } from "@/lib/config";

/**
 * The portal's server writes the socket address into this header, replacing
 * anything a client sent, so it can be trusted (see scripts/start.ts).
 */
export const CLIENT_IP_HEADER = "x-portal-client-ip";

export function clientIp(headers: Headers): string {
  if (getConfig().trustProxy) {
    const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return headers.get(CLIENT_IP_HEADER) ?? "unknown";
}
