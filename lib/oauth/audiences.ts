/**
 * The APIs tokens can be issued for (RFC 8707 resource indicators, Auth0's
 * `audience`). For now that is the portal's own API, which is also the
 * default when a request names none.
 */
import { getConfig } from "@/lib/config";

export function portalApiAudience(): string {
  return `${getConfig().issuer}/api/v1`;
}

export function registeredAudiences(): readonly [string, ...string[]] {
  return [portalApiAudience()];
}
