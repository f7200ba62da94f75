/**
 * The APIs tokens can be issued for (RFC 8707 resource indicators, Auth0's
 * `audience`). For now that is the portal's own API, which is also the
 * default when a request names none.
 */
import { getConfig } from "@/lib/config";
import { OAuthError } from "@/lib/oauth/errors";

export function portalApiAudience(): string {
  return `${getConfig().issuer}/api/v1`;
}

export function registeredAudiences(): readonly [string, ...string[]] {
  return [portalApiAudience()];
}

/** The audience a request names with `resource` or `audience` (invalid_target if unregistered), or the default. */
export function resolveAudience(requested: { resource?: string; audience?: string }, audiences: readonly [string, ...string[]]): string {
  const { resource, audience } = requested;
  if (resource !== undefined && audience !== undefined && resource !== audience) throw new OAuthError("invalid_target", "audience and resource name different APIs");
  const named = resource ?? audience;
  if (named === undefined) return audiences[0];
  if (!audiences.includes(named)) throw new OAuthError("invalid_target", "The requested resource is not a registered API");
  return named;
}
