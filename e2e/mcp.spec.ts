/**
 * An MCP client that knows only the MCP server's URL: the official SDK's own
 * OAuth client finds the portal through the server's protected resource
 * metadata (RFC 9728), registers itself (open registration), sends the person
 * to the consent screen in Chromium, calls a tool with the token, and
 * refreshes it when the server refuses a stale one.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { freePort, startTestServer, type TestServer } from "../tests/support/test-server";
import { runPortalCli } from "../tests/support/portal-cli";

let portal: TestServer;
let mcp: ChildProcess;
let mcpUrl = "";
let callbackServer: Server;
let callbackUrl = "";
let receivedCode: Promise<string>;

/** What an MCP client keeps: its registration, tokens and PKCE verifier, in memory. */
class MemoryProvider implements OAuthClientProvider {
  information?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = "";
  authorizationUrl?: URL;
  get redirectUrl() {
    return callbackUrl;
  }
  get clientMetadata() {
    return {
      client_name: "Example MCP client",
      redirect_uris: [callbackUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(information: OAuthClientInformationMixed) {
    this.information = information;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

async function cli(...args: string[]) {
  const run = await runPortalCli(args, { ...process.env, ...portal.env });
  expect(run.status, run.stderr).toBe(0);
}

test.beforeAll(async () => {
  test.setTimeout(150_000);
  // A portal of its own, with open registration, as an MCP server's authorization server would run.
  portal = await startTestServer({ env: { REGISTRATION_POLICY: "open" } });
  const mcpPort = await freePort();
  mcpUrl = `http://127.0.0.1:${mcpPort}/mcp`;
  await cli(
    "api",
    "create",
    "--name",
    "Example MCP server",
    "--identifier",
    mcpUrl,
    "--scope",
    "tools=Use the example server's tools",
    "--allow-offline-access",
    "--offline-access-without-scope",
  );
  mcp = spawn(process.execPath, ["examples/mcp/server.mjs"], {
    env: { ...process.env, ISSUER_URL: portal.baseUrl, PORT: String(mcpPort) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await once(mcp.stdout!, "data");

  let deliver: (code: string) => void;
  receivedCode = new Promise((resolve) => (deliver = resolve));
  callbackServer = createServer((request, response) => {
    const code = new URL(request.url ?? "/", "http://localhost").searchParams.get("code");
    if (code) deliver(code);
    response.writeHead(200, { "content-type": "text/html" }).end("<h1>Back in the MCP client</h1>");
  });
  await new Promise<void>((resolve) => callbackServer.listen(0, "127.0.0.1", resolve));
  callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
});

test.afterAll(async () => {
  mcp?.kill();
  callbackServer?.close();
  await portal?.stop();
});

async function connected(provider: MemoryProvider): Promise<Client> {
  const client = new Client({ name: "example-mcp-client", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider }));
  return client;
}

test("an MCP client that knows only the server's URL registers, gets consent, calls a tool and refreshes", async ({ page }) => {
  const email = `mcp-${randomUUID()}@example.com`;
  await cli("user", "create", "--email", email, "--password", "a fine password", "--name", "Mira MCP");

  // Unauthorized: the SDK discovers the portal, registers itself and asks us to send the person to the portal.
  const provider = new MemoryProvider();
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { authProvider: provider });
  await expect(new Client({ name: "example-mcp-client", version: "1.0.0" }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(provider.information?.client_id).toBeTruthy();
  const authorizationUrl = provider.authorizationUrl!;
  expect(authorizationUrl.origin).toBe(portal.baseUrl);
  expect(authorizationUrl.searchParams.get("resource")).toBe(mcpUrl);

  await page.goto(authorizationUrl.toString());
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a fine password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("unverified-app")).toContainText("Not verified by");
  await expect(page.getByTestId("requested-scopes")).toContainText("Use the example server's tools");
  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page.getByRole("heading", { name: "Back in the MCP client" })).toBeVisible();

  await transport.finishAuth(await receivedCode);
  expect(provider.saved?.refresh_token).toBeTruthy();
  const client = await connected(provider);
  const answer = (await client.callTool({ name: "whoami", arguments: { greeting: "Hi" } })) as { content: { text: string }[] };
  expect(answer.content[0]!.text).toMatch(/^Hi, .+ \(app .+\)$/);
  await client.close();

  // The server refuses a stale token; the SDK refreshes with its refresh token and carries on.
  const firstRefreshToken = provider.saved!.refresh_token;
  provider.saved = { ...provider.saved!, access_token: "stale" };
  const again = await connected(provider);
  const second = (await again.callTool({ name: "whoami", arguments: {} })) as { content: { text: string }[] };
  expect(second.content[0]!.text).toMatch(/^Hello, /);
  expect(provider.saved.refresh_token).not.toBe(firstRefreshToken);
  await again.close();
});
