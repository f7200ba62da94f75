/**
 * The one family of refusals a caller can act on, one code per RFC error
 * (and the management API's own two). The description is public and fixed
 * (RFC 6749 §4.1.2.1 / §5.2: printable ASCII, no quote or backslash); the
 * cause, when there is one, is for the log only. Endpoints render an error
 * as RFC 6749 / RFC 7591 JSON or as RFC 9457 problem details
 * (lib/oauth/endpoint.ts); forms read a ValidationError's fields.
 */
import type { z } from "zod";
import { fieldErrorsOf } from "@/lib/auth/form-response";

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
  // RFC 7591 §3.2.2
  "invalid_redirect_uri",
  "invalid_client_metadata",
  // Too many attempts from one address (RFC 6585 §4's status)
  "too_many_requests",
  // The management API: no such resource; refused by a rule of the portal
  "not_found",
  "refused",
] as const;

export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

const STATUS: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  invalid_token: 401,
  insufficient_scope: 403,
  not_found: 404,
  refused: 409,
  too_many_requests: 429,
  server_error: 500,
  temporarily_unavailable: 503,
};

/** Why a request failed, in words for the app's owner (its activity), never sent to the caller; may need a lookup, done only when recorded. */
export type OwnerReason = string | (() => Promise<string>);

export class OAuthError extends Error {
  override name = "OAuthError";
  readonly status: number;
  readonly reason?: OwnerReason;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    options: { status?: number; cause?: unknown; reason?: OwnerReason; retryAfterSeconds?: number } = {},
  ) {
    super(`${code}: ${description}`, { cause: options.cause });
    this.status = options.status ?? STATUS[code] ?? 400;
    this.reason = options.reason;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Input that breaks a rule: each message, and the first per form field for a form to show beside it. */
export class ValidationError extends OAuthError {
  override name = "ValidationError";
  readonly fieldErrors: Record<string, string>;

  constructor(
    readonly issues: string[],
    fieldErrors: Record<string, string> = {},
    description = issues.join(" "),
  ) {
    super("invalid_request", description);
    this.fieldErrors = fieldErrors;
  }

  /** One field's problem. */
  static of(field: string | null, message: string): ValidationError {
    return new ValidationError([message], field ? { [field]: message } : {});
  }
}

/**
 * The input as the schema reads it, or a ValidationError. With `namePaths`
 * the description names each field, for a request body whose fields the
 * caller named (a form's own messages read well without).
 */
export function validated<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  options: { namePaths?: boolean } = {},
): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const { issues } = parsed.error;
  const described = options.namePaths
    ? issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
    : issues.map((issue) => issue.message);
  throw new ValidationError(
    issues.map((issue) => issue.message),
    fieldErrorsOf(issues),
    described.join("; "),
  );
}

/** Keeps only the characters RFC 6749 allows in error_description. */
export function safeErrorDescription(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, " ").slice(0, 300);
}
