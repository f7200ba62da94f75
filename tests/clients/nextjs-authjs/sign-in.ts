/**
 * Serves the Next.js (Auth.js) quick-start snippet the way a Next app does:
 * app/api/auth/[...nextauth]/route.ts exports its `handlers`, and Next hands
 * them each browser request as a NextRequest. This plays the browser: it
 * keeps the app's cookies, starts the sign-in, prints the portal's
 * authorization URL, reads the address the person lands on, follows the
 * callback and prints the app's session.
 *
 *   APP_URL=https://app.example tsx sign-in.ts ./auth.ts
 *
 * (tsx rather than node: like Next's bundler, it resolves next-auth's
 * extensionless `next/server` import.)
 */
import * as readline from "node:readline/promises";
import { pathToFileURL } from "node:url";
import { NextRequest } from "next/server";

type Handler = (request: NextRequest) => Promise<Response>;
const { handlers } = (await import(pathToFileURL(process.argv[2]!).href)) as { handlers: { GET: Handler; POST: Handler } };
const appUrl = process.env.APP_URL!;
const cookies = new Map<string, string>();

async function browse(method: "GET" | "POST", path: string, form?: Record<string, string>): Promise<Response> {
  const headers = new Headers({ cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; ") });
  if (form) headers.set("content-type", "application/x-www-form-urlencoded");
  const response = await handlers[method](
    new NextRequest(new URL(path, appUrl), { method, headers, body: form ? new URLSearchParams(form) : undefined }),
  );
  for (const cookie of response.headers.getSetCookie()) {
    const [pair = "", ...attributes] = cookie.split(";");
    const [name = "", value = ""] = pair.split(/=(.*)/s);
    if (attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || value === "") cookies.delete(name.trim());
    else cookies.set(name.trim(), value);
  }
  return response;
}

function expectRedirect(response: Response, step: string): URL {
  const location = response.headers.get("location");
  if (response.status !== 302 || !location) throw new Error(`${step}: expected a redirect, got ${response.status}`);
  return new URL(location, appUrl);
}

// The sign-in button: a form posting the CSRF token to /api/auth/signin/portal.
const { csrfToken } = (await (await browse("GET", "/api/auth/csrf")).json()) as { csrfToken: string };
const authorization = expectRedirect(await browse("POST", "/api/auth/signin/portal", { csrfToken, callbackUrl: "/" }), "sign-in");
console.log("Open this, sign in and consent; then paste the address you land on:");
console.log(authorization.href);

const prompt = readline.createInterface({ input: process.stdin });
const callback = new URL((await prompt[Symbol.asyncIterator]().next()).value as string);
prompt.close();
const landed = expectRedirect(await browse("GET", callback.pathname + callback.search), "callback");
if (landed.searchParams.has("error")) throw new Error(`Auth.js refused the callback: ${landed.href}`);

console.log(JSON.stringify(await (await browse("GET", "/api/auth/session")).json()));
