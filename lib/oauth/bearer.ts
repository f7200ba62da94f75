/** Bearer tokens at protected resources (RFC 6750): reading them and the errors that answer them. */
import { getConfig } from "@/lib/config";
import { DPOP_ALGS } from "@/lib/oauth/dpop";
import { jsonAnswer, type Answer } from "@/lib/protocol-http";
import type { HeaderReader } from "@/lib/protocol-http";

/** The token from `Authorization: Bearer <token>`, or null when there is none. */
export function bearerTokenOf(headers: HeaderReader): string | null {
  const presented = accessTokenOf(headers);
  return presented?.scheme === "Bearer" ? presented.token : null;
}

/** The access token and its scheme: `Bearer` (RFC 6750) or `DPoP` (RFC 9449 §7.1). */
export function accessTokenOf(headers: HeaderReader): { scheme: "Bearer" | "DPoP"; token: string } | null {
  const match = /^(Bearer|DPoP) ([A-Za-z0-9\-._~+/]+=*)$/i.exec(headers.get("authorization")?.trim() ?? "");
  if (!match) return null;
  return { scheme: match[1]!.toLowerCase() === "dpop" ? "DPoP" : "Bearer", token: match[2]! };
}

/** RFC 9449 §7.1: the challenge for a DPoP-bound token whose proof is missing or wrong. */
export function dpopErrorResponse(description: string): Answer {
  const challenge = `DPoP algs="${DPOP_ALGS.join(" ")}", error="invalid_dpop_proof", error_description="${description.replace(/["\\]/g, "")}"`;
  return jsonAnswer(
    { error: "invalid_dpop_proof", error_description: description },
    { status: 401, headers: { "WWW-Authenticate": challenge } },
  );
}

export type BearerError = { status: 401 | 403; error?: "invalid_token" | "insufficient_scope"; description?: string; scope?: string };

/** RFC 6750 §3: the WWW-Authenticate challenge, and a JSON body saying the same. */
export function bearerErrorResponse({ status, error, description, scope }: BearerError): Answer {
  const attributes = [`realm="${getConfig().issuer}"`];
  if (error) attributes.push(`error="${error}"`);
  if (description) attributes.push(`error_description="${description.replace(/["\\]/g, "")}"`);
  if (scope) attributes.push(`scope="${scope}"`);
  const body = error
    ? { error, ...(description ? { error_description: description } : {}), ...(scope ? { scope } : {}) }
    : { error: "unauthorized" };
  return jsonAnswer(body, { status, headers: { "WWW-Authenticate": `Bearer ${attributes.join(", ")}` } });
}
