/**
 * Rules for registering redirect URIs (RFC 6749 §3.1.2, RFC 8252 §7,
 * RFC 9700 §2.1 and §2.6). Matching at /oauth/authorize is exact string
 * comparison; these rules decide what may be registered at all.
 */

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "vbscript:", "file:", "blob:", "about:"]);

export type RedirectUriCheck = { ok: true; uri: string } | { ok: false; reason: string };

export function isLoopbackRedirect(url: URL): boolean {
  return url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

export type ApplicationType = "web" | "native";

/**
 * Checks one redirect URI for registration; the reason is written for the
 * person registering it. Private-use schemes are for native apps only
 * (OpenID Connect Registration §2, RFC 8252 §7.1).
 */
export function checkRedirectUri(raw: string, applicationType: ApplicationType = "web"): RedirectUriCheck {
  const uri = raw.trim();
  if (uri === "") return { ok: false, reason: "Enter a redirect URI." };
  if (uri.length > 2000) return { ok: false, reason: "A redirect URI can be at most 2000 characters." };
  if (/[\s\u0000-\u001f\u007f]/.test(uri)) return { ok: false, reason: "A redirect URI cannot contain spaces or control characters." };
  if (uri.includes("*")) return { ok: false, reason: "Wildcards are not allowed: register each redirect URI exactly." };
  if (uri.includes("#")) return { ok: false, reason: "A redirect URI cannot contain a fragment (#)." };

  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return { ok: false, reason: "A redirect URI must be an absolute URI, such as https://app.example.com/callback." };
  }
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return { ok: false, reason: `The ${url.protocol} scheme cannot be a redirect URI.` };
  if (url.username || url.password) return { ok: false, reason: "A redirect URI cannot contain a user name or password." };

  if (url.protocol === "https:") {
    if (!url.hostname) return { ok: false, reason: "An https redirect URI needs a host." };
    return { ok: true, uri };
  }
  if (url.protocol === "http:") {
    if (isLoopbackRedirect(url)) return { ok: true, uri };
    return { ok: false, reason: "Use https. Plain http is allowed only for loopback addresses (localhost, 127.0.0.1, [::1])." };
  }
  // RFC 8252 §7.1: private-use schemes for native apps, named after a reversed domain.
  const scheme = url.protocol.slice(0, -1);
  if (/^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/i.test(scheme)) {
    if (applicationType === "native") return { ok: true, uri };
    return { ok: false, reason: "Private-use schemes (com.example.app:/callback) are for native apps: make the app native, or use https." };
  }
  return {
    ok: false,
    reason: "Use https, a loopback http address, or a private-use scheme named after a domain you own (com.example.app:/callback).",
  };
}

// RFC 8252 §7.3: a native app's loopback redirect may use any port.
const LOOPBACK_URI = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?([/?].*)?$/;

function withoutLoopbackPort(uri: string): string | null {
  const match = LOOPBACK_URI.exec(uri);
  return match ? `http://${match[1]}${match[2] ?? ""}` : null;
}

/**
 * The registered redirect URI a request names, compared as exact strings
 * (RFC 6749 §3.1.2.3, RFC 9700 §2.1); for a native app's loopback URIs only
 * the port may differ (RFC 8252 §7.3). Returns the URI to redirect to, which
 * is the requested one.
 */
export function matchRedirectUri(
  requested: string,
  registered: readonly string[],
  applicationType: ApplicationType = "web",
): string | null {
  if (registered.includes(requested)) return requested;
  if (applicationType !== "native") return null;
  const requestedWithoutPort = withoutLoopbackPort(requested);
  if (requestedWithoutPort === null) return null;
  return registered.some((uri) => withoutLoopbackPort(uri) === requestedWithoutPort) ? requested : null;
}

/**
 * Appends response parameters to a redirect URI, keeping its own query as it
 * is (RFC 6749 §3.1.2: the query component must be retained).
 */
export function redirectWithParams(redirectUri: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, value);
  return `${redirectUri}${redirectUri.includes("?") ? "&" : "?"}${query.toString()}`;
}

export type DiffSegment = { text: string; differs: boolean };

/**
 * `text` split into what it shares with `other` (a common start and end) and
 * the part that differs, so a page can mark the difference.
 */
export function markDifference(text: string, other: string): DiffSegment[] {
  let start = 0;
  while (start < text.length && start < other.length && text[start] === other[start]) start += 1;
  let end = 0;
  while (end < text.length - start && end < other.length - start && text[text.length - 1 - end] === other[other.length - 1 - end]) end += 1;
  const segments: DiffSegment[] = [
    { text: text.slice(0, start), differs: false },
    { text: text.slice(start, text.length - end), differs: true },
    { text: text.slice(text.length - end), differs: false },
  ];
  return segments.filter((segment) => segment.text !== "");
}

/** The registered URI most like the requested one (longest shared start and end). */
export function closestRedirectUri(requested: string, registered: readonly string[]): string | undefined {
  const shared = (uri: string) => markDifference(uri, requested).reduce((sum, s) => sum + (s.differs ? 0 : s.text.length), 0);
  return [...registered].sort((a, b) => shared(b) - shared(a))[0];
}
