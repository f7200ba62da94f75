/**
 * OAuth errors, one code per RFC error. The description is public and fixed
 * (RFC 6749 §4.1.2.1 / §5.2: printable ASCII, no quote or backslash); the
 * cause, when there is one, is for the log only.
 */

export const OAUTH_ERROR_CODES = [
  // RFC 6749 §4.1.2.1 and §5.2
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "unsupported_response_type",
  "invalid_scope",
  "access_denied",
  "server_error",
  "temporarily_unavailable",
  // OpenID Connect Core §3.1.2.6
  "login_required",
  "consent_required",
  "interaction_required",
  "request_not_supported",
  "request_uri_not_supported",
  // RFC 8628 §3.5
  "authorization_pending",
  "slow_down",
  "expired_token",
  // RFC 9449 §5, §8
  "invalid_dpop_proof",
  "use_dpop_nonce",
  // RFC 8707 §2
  "invalid_target",
  // RFC 6750 §3.1
  "invalid_token",
  "insufficient_scope",
] as const;

export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

const STATUS: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  server_error: 500,
  temporarily_unavailable: 503,
};

/** Why a request failed, in words for the app's owner (its activity), never sent to the caller; may need a lookup, done only when recorded. */
export type OwnerReason = string | (() => Promise<string>);

export class OAuthError extends Error {
  override name = "OAuthError";
  readonly status: number;
  readonly reason?: OwnerReason;

  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    options: { status?: number; cause?: unknown; reason?: OwnerReason } = {},
  ) {
    super(`${code}: ${description}`, { cause: options.cause });
    this.status = options.status ?? STATUS[code] ?? 400;
    this.reason = options.reason;
  }
}

/** Keeps only the characters RFC 6749 allows in error_description. */
export function safeErrorDescription(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, " ").slice(0, 300);
}
