/**
 * Words a redirect carries to the next page (what a form post did), signed
 * under SERVER_SECRET so that a page shows only what the portal itself wrote:
 * a link someone else made cannot put their words in a trusted banner.
 */
import { constantTimeEqual, hashSecret } from "@/lib/crypto";

function signatureOf(name: string, text: string): string {
  return hashSecret(`notice:${name}:${text}`).slice(0, 32);
}

/** `name=text&name_sig=…`, for a redirect's query. */
export function signedParam(name: string, text: string): string {
  return `${name}=${encodeURIComponent(text)}&${name}_sig=${signatureOf(name, text)}`;
}

/** The text of `name` when the portal signed it, else undefined. */
export function signedText(params: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const text = params[name];
  const signature = params[`${name}_sig`];
  if (typeof text !== "string" || typeof signature !== "string") return undefined;
  return constantTimeEqual(signature, signatureOf(name, text)) ? text : undefined;
}
