/**
 * A single-page app served from another origin runs the whole flow in
 * Chromium: authorization code with PKCE, then fetch() to the token,
 * userinfo, JWKS and revocation endpoints, which answer its origin (CORS) and
 * no other. And a POST authorization request keeps the person's session.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { newClient, newUser } from "../tests/support/fixtures";

let spaServer: Server;
let otherServer: Server;
let spaOrigin = "";
/** Another origin, which no app lists. */
let otherOrigin = "";
const spaApps = new Map<string, string>();

/** The page a single-page app would be: it starts the flow, and on return exchanges the code from the browser. */
function spaPage(portal: string, clientId: string): string {
  return `<!doctype html><meta charset="utf-8"><title>SPA</title><p id="result">starting</p><script type="module">
const portal = ${JSON.stringify(portal)}, clientId = ${JSON.stringify(clientId)}, redirectUri = location.origin + location.pathname;
const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
const show = (text) => (document.getElementById("result").textContent = text);
const params = new URLSearchParams(location.search);
if (!params.has("code")) {
  const verifier = b64(crypto.getRandomValues(new Uint8Array(32)));
  sessionStorage.setItem("verifier", verifier);
  const challenge = b64(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  location.href = portal + "/oauth/authorize?" + new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: redirectUri, scope: "openid email offline_access", code_challenge: challenge, code_challenge_method: "S256", state: "spa-state" });
} else {
  try {
    const form = (fields) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });
    const tokens = await (await fetch(portal + "/oauth/token", form({ grant_type: "authorization_code", client_id: clientId, code: params.get("code"), redirect_uri: redirectUri, code_verifier: sessionStorage.getItem("verifier") }))).json();
    const me = await (await fetch(portal + "/oauth/userinfo", { headers: { authorization: "Bearer " + tokens.access_token } })).json();
    const jwks = await (await fetch(portal + "/.well-known/jwks.json")).json();
    const revoked = await fetch(portal + "/oauth/revoke", form({ token: tokens.refresh_token, client_id: clientId }));
    show("signed in as " + me.email + "; keys: " + jwks.keys.length + "; revoked: " + revoked.status);
  } catch (error) {
    show("blocked: " + error.message);
  }
}
</script>`;
}

/** Serves the pages in spaApps; returns the server and its origin. */
async function pageServer(): Promise<[Server, string]> {
  const server = createServer((request, response) => {
    const page = spaApps.get(new URL(request.url ?? "/", "http://spa").pathname);
    if (!page) return response.writeHead(404).end();
    response.writeHead(200, { "content-type": "text/html" }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
}

test.beforeAll(async () => {
  [spaServer, spaOrigin] = await pageServer();
  [otherServer, otherOrigin] = await pageServer();
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => spaServer.close(() => resolve()));
  await new Promise<void>((resolve) => otherServer.close(() => resolve()));
});

async function signIn(page: Page, person: { email: string; password: string }) {
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function spa(origin: string, path: string, allowedOrigins: string[], baseURL: string) {
  const app = await newClient({
    name: "Single Page",
    redirectUris: [`${origin}${path}`],
    allowedOrigins,
    scopes: ["openid", "email", "offline_access"],
  });
  spaApps.set(path, spaPage(baseURL, app.clientId));
  return app;
}

test("a single-page app on another origin signs a person in and calls the portal from the browser", async ({ page, baseURL }) => {
  await spa(spaOrigin, "/allowed", [spaOrigin], baseURL!);
  const person = await newUser();
  await page.goto(`${spaOrigin}/allowed`);
  await signIn(page, person);
  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page.locator("#result")).toHaveText(`signed in as ${person.email}; keys: ${await jwksSize(baseURL!)}; revoked: 200`);
});

test("the portal does not answer an origin that no app allows", async ({ page, baseURL }) => {
  await spa(otherOrigin, "/not-allowed", [], baseURL!);
  const person = await newUser();
  await page.goto(`${otherOrigin}/not-allowed`);
  await signIn(page, person);
  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page.locator("#result")).toHaveText(/^blocked: /);
});

test("a POST authorization request from the app's site keeps the person's session (prompt=none)", async ({ page, baseURL }) => {
  // Another site, not just another origin: localhost and 127.0.0.1 (ports do not make sites differ).
  const appSite = spaOrigin.replace("127.0.0.1", "localhost");
  const app = await newClient({ isFirstParty: true, redirectUris: [`${appSite}/landing`] });
  spaApps.set("/landing", "<!doctype html><title>Landing</title><h1>Back at the app</h1>");
  spaApps.set(
    "/post",
    `<!doctype html><title>Post</title><form method="post" action="${baseURL}/oauth/authorize">${Object.entries({
      response_type: "code",
      client_id: app.clientId,
      redirect_uri: `${appSite}/landing`,
      scope: "openid",
      prompt: "none",
      state: "posted",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    })
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
      .join("")}<button>Continue</button></form>`,
  );
  const person = await newUser();
  await page.goto("/sign-in");
  await signIn(page, person);
  await expect(page).not.toHaveURL(/sign-in/);

  await page.goto(`${appSite}/post`);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { name: "Back at the app" })).toBeVisible();
  const params = new URL(page.url()).searchParams;
  expect(params.get("error")).toBeNull();
  expect(params.get("code")).toBeTruthy();
  expect(params.get("state")).toBe("posted");
});

async function jwksSize(baseURL: string): Promise<number> {
  return ((await (await fetch(`${baseURL}/.well-known/jwks.json`)).json()) as { keys: unknown[] }).keys.length;
}
