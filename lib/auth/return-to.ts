/**
 * Where to send a person after signing in. Only same-origin paths are kept
 * (RFC 9700 §4.11.2: no open redirector); anything else becomes the default.
 */
export function safeReturnTo(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  // A path, not "//host" (protocol-relative) nor "/\host" (browsers read "\" as "/").
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return fallback;
  // Control characters can smuggle a scheme or header through some parsers.
  if (/[\u0000-\u001f\u007f]/.test(value)) return fallback;
  // The final check: resolved against a dummy origin it must stay there.
  const resolved = new URL(value, "http://portal.invalid");
  if (resolved.origin !== "http://portal.invalid") return fallback;
  return resolved.pathname + resolved.search + resolved.hash;
}
