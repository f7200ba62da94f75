/** Bearer tokens at protected resources (RFC 6750): reading them and the errors that answer them. */
import { getConfig } from "@/lib/config";
import { jsonAnswer, type Answer } from "@/lib/protocol-http";
import type { HeaderReader } from "@/lib/protocol-http";

/** The token from `Authorization: Bearer <token>`, or null when there is none. */
export function bearerTokenOf(headers: HeaderReader): string | null {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(headers.get("authorization")?.trim() ?? "");
  return match?.[1] ?? null;
}

export type BearerError = { status: 401 | 403; error?: "invalid_token" | "insufficient_scope"; description?: string; scope?: string };

/** RFC 6750 §3: the WWW-Authenticate challenge, and a JSON body saying the same. */
export function bearerErrorResponse({ status, error, description, scope }: BearerError): Answer {
  const attributes = [`realm="${getConfig().issuer}"`];
  if (error) attributes.push(`error="${error}"`);
  if (description) attributes.push(`error_description="${description.replace(/["\\]/g, "")}"`);
  if (scope) attributes.push(`scope="${scope}"`);
  const body = error ? { error, ...(description ? { error_description: description } : {}), ...(scope ? { scope } : {}) } : { error: "unauthorized" };
  return jsonAnswer(body, { status, headers: { "WWW-Authenticate": `Bearer ${attributes.join(", ")}` } });
}
