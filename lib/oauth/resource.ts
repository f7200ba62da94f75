import { OAuthError } from "@/lib/oauth/errors";

/**
 * The API a request names: RFC 8707 `resource` or Auth0's `audience`, or both
 * when they agree (invalid_target when they name different APIs). Undefined
 * when the request names none.
 */
export function requestedApiIdentifier(resource: string | undefined, audience: string | undefined): string | undefined {
  if (resource !== undefined && audience !== undefined && resource !== audience)
    throw new OAuthError("invalid_target", "audience and resource name different APIs");
  return resource ?? audience;
}
