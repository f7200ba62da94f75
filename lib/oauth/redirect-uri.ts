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

/** Checks one redirect URI for registration; the reason is written for the person registering it. */
export function checkRedirectUri(raw: string): RedirectUriCheck {
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
  if (/^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/i.test(scheme)) return { ok: true, uri };
  return {
    ok: false,
    reason: "Use https, a loopback http address, or a private-use scheme named after a domain you own (com.example.app:/callback).",
  };
}
