/** What every grant handler receives and returns (RFC 6749 §5.1). */
import type { Client } from "@/lib/generated/prisma/client";
import { formatTime } from "@/lib/format";
import { OAuthError } from "@/lib/oauth/errors";

export type GrantRequest = {
  client: Client;
  params: ReadonlyMap<string, string>;
  ip: string;
  /** RFC 9449: the thumbprint of the key a valid DPoP proof was signed with; the tokens are bound to it. */
  dpopJkt: string | null;
};

export type TokenResponse = {
  access_token: string;
  token_type: "Bearer" | "DPoP";
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
};

export type GrantHandler = (request: GrantRequest) => Promise<TokenResponse>;

type RedemptionFailure = { outcome: "unknown" } | { outcome: "reused"; usedAt: Date | null } | { outcome: "refused"; reason: string };

const REFUSALS = {
  code: "The authorization code is invalid, expired or already used",
  "refresh token": "The refresh token is invalid, expired, revoked or already used",
} as const;

/** The one answer a refused code or refresh token gets (invalid_grant), with the reason kept for the app's owner. */
export function refusedRedemption(failure: RedemptionFailure, what: "code" | "refresh token"): OAuthError {
  return new OAuthError("invalid_grant", REFUSALS[what], { reason: failedRedemptionReason(failure, what) });
}

/** Why a code or refresh token was not accepted, in words for the app's owner (never for the caller). */
function failedRedemptionReason(failure: RedemptionFailure, what: "code" | "refresh token"): string {
  if (failure.outcome === "unknown") return `no such ${what} for this app: mistyped, cut short, or issued to another app`;
  if (failure.outcome === "reused") {
    const when = failure.usedAt ? ` at ${formatTime(failure.usedAt, { seconds: true })}` : " a moment before, by another request";
    return `the ${what} was already used${when}; everything issued from it is now revoked`;
  }
  return failure.reason;
}
