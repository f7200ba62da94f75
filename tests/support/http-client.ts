/**
 * A minimal browser stand-in for HTTP tests: keeps cookies, never follows
 * redirects (tests assert them), and reads the CSRF token out of a form.
 */
export function baseUrl(): string {
  const url = process.env.PORTAL_TEST_BASE_URL;
  if (!url) throw new Error("PORTAL_TEST_BASE_URL is not set (run through npm test or the integration global setup)");
  return url;
}

export class HttpSession {
  readonly cookies = new Map<string, string>();

  /** `base`: another instance of the portal than the test server (the cookies go along). */
  constructor(
    private readonly defaultHeaders: Record<string, string> = {},
    public base?: string,
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers({ ...this.defaultHeaders, ...(init.headers as Record<string, string> | undefined) });
    if (this.cookies.size > 0 && !headers.has("cookie")) headers.set("cookie", this.cookieHeader());
    const response = await fetch(new URL(path, this.base ?? baseUrl()), { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.request(path, { method: "POST", body: new URLSearchParams(form), headers });
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** Loads a page and returns the CSRF token of its form. */
  async csrfTokenFrom(path: string): Promise<string> {
    const html = await (await this.get(path)).text();
    const match = /name="csrf_token" value="([^"]+)"/.exec(html);
    if (!match?.[1]) throw new Error(`no CSRF token on ${path}`);
    return match[1];
  }

  async signIn(email: string, password: string, extra: Record<string, string> = {}): Promise<Response> {
    const csrf_token = await this.csrfTokenFrom("/sign-in");
    return this.post("/auth/sign-in", { csrf_token, email, password, returnTo: "/", ...extra });
  }
}

let addressCounter = 0;
/** A distinct client address per test (the test server trusts X-Forwarded-For), so throttles do not meet. */
export function freshAddress(): Record<string, string> {
  addressCounter += 1;
  return { "x-forwarded-for": `198.51.${process.pid % 250}.${addressCounter % 250}` };
}

/** The query of a valid authorization request for a client, with a fresh PKCE challenge and state. */
export function authorizationParams(
  client: { clientId: string; redirectUri: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: "openid profile",
    state: `state-${Math.random().toString(36).slice(2)}`,
    // A fixed, well-formed S256 challenge; tests that redeem codes (issue 4) bring their own verifier.
    code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    code_challenge_method: "S256",
    ...extra,
  };
}

export function authorizePath(params: Record<string, string> | URLSearchParams): string {
  return `/oauth/authorize?${new URLSearchParams(params).toString()}`;
}
