/**
 * Where to send a person after signing in. Only same-origin paths come out
 * (RFC 9700 §4.11.2: no open redirector); anything else becomes the fallback.
 * The decision is taken on the path the value resolves to, not on the raw
 * value: "/.//evil" resolves to "//evil", which a browser reads as a host.
 */
const BASE = "http://portal.invalid";

export function safeReturnTo(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  // Browsers drop tab, CR and LF from URLs and read "\" as "/", so a value with
  // any of them means something other than it shows: refuse it outright.
  if (!value.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (resolved.origin !== BASE) return fallback;
  return isSameOriginPath(resolved.pathname) ? resolved.pathname + resolved.search + resolved.hash : fallback;
}

/**
 * A path that stays on this origin wherever it is used as a Location: one "/"
 * and then neither "/" nor "\", also once percent-decoded (a router that
 * decodes "/%2F%2Fevil" would otherwise see "//evil").
 */
function isSameOriginPath(pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  return [pathname, decoded].every((path) => path.startsWith("/") && !/^\/[/\\]/.test(path) && !/[\u0000-\u001f\u007f\\]/.test(path));
}
