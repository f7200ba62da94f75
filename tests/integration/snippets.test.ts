/**
 * The quick-start snippets on an app's page, run as a developer would run
 * them: each prints the authorization URL, a person signs in and consents,
 * the address they land on is pasted in, and the snippet prints tokens.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { quickStartSnippets, type SnippetInput } from "@/lib/oauth/snippets";
import { newClient, newUser } from "../support/fixtures";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";

/** Signs in and consents as a person would, for the URL a snippet printed; returns where the browser lands. */
async function authorize(url: string): Promise<string> {
  const person = await newUser();
  const browser = new HttpSession(freshAddress());
  await browser.signIn(person.email, person.password);
  const target = new URL(url);
  let response = await browser.get(target.pathname + target.search);
  const location = new URL(response.headers.get("location") ?? "", baseUrl());
  if (location.pathname === "/consent") {
    const csrf_token = await browser.csrfTokenFrom(location.pathname + location.search);
    response = await browser.post("/auth/consent", { csrf_token, request: location.searchParams.get("request") ?? "", decision: "authorize" });
  }
  return response.headers.get("location") ?? "";
}

/** Runs a snippet: when it prints the authorization URL, the landing address goes to its stdin; returns all it printed. */
function runSnippet(command: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    let errors = "";
    let answered = false;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = /(https?:\/\/\S+\/oauth\/authorize\?\S+)/.exec(output)?.[1];
      if (url && !answered) {
        answered = true;
        authorize(url).then((callback) => child.stdin.end(`${callback}\n`), reject);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited ${code}: ${errors}\n${output}`))));
  });
}

async function appFor(confidential: boolean): Promise<{ input: SnippetInput; secret?: string }> {
  const owner = await newUser();
  const app = await newClient({ ownerId: owner.user.id, isConfidential: confidential, scopes: ["openid", "profile", "email"] });
  const authMethod = app.client.tokenEndpointAuthMethod as SnippetInput["authMethod"];
  return { input: { issuer: getConfig().issuer, clientId: app.clientId, redirectUri: app.redirectUri, authMethod, scope: "openid profile", brandName: "Identity Portal" }, secret: app.clientSecret };
}

const hasAuthlib = spawnSync("python3", ["-c", "import authlib, requests"]).status === 0;

describe("quick-start snippets", () => {
  it("curl (confidential app) gets tokens as shown", { timeout: 30_000 }, async () => {
    const { input, secret } = await appFor(true);
    const file = `/tmp/snippet-${randomUUID()}.sh`;
    writeFileSync(file, quickStartSnippets(input).curl);
    try {
      const output = await runSnippet("sh", [file], { CLIENT_SECRET: secret! });
      const tokens = JSON.parse(output.slice(output.indexOf("{"))) as { access_token: string; id_token: string };
      expect(tokens.access_token.split(".")).toHaveLength(3);
      expect(tokens.id_token).toBeDefined();
    } finally {
      rmSync(file, { force: true });
    }
  });

  it.each([true, false])("Node with openid-client (confidential: %s) gets tokens as shown", { timeout: 30_000 }, async (confidential) => {
    const { input, secret } = await appFor(confidential);
    // In the project, so that openid-client resolves from its node_modules, as in a developer's project.
    const file = `${process.cwd()}/.snippet-${randomUUID()}.mjs`;
    writeFileSync(file, quickStartSnippets(input).node);
    try {
      const output = await runSnippet(process.execPath, [file], secret ? { CLIENT_SECRET: secret } : {});
      const result = JSON.parse(output.slice(output.indexOf("{"))) as { access_token: string; id_token_claims: { sub: string; iss: string } };
      expect(result.access_token.split(".")).toHaveLength(3);
      expect(result.id_token_claims.iss).toBe(getConfig().issuer);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it.skipIf(!hasAuthlib)("Python with Authlib gets tokens as shown", { timeout: 30_000 }, async () => {
    const { input, secret } = await appFor(true);
    const file = `/tmp/snippet-${randomUUID()}.py`;
    writeFileSync(file, quickStartSnippets(input).python);
    try {
      const output = await runSnippet("python3", [file], { CLIENT_SECRET: secret! });
      expect((JSON.parse(output.slice(output.indexOf("{"))) as { access_token: string }).access_token.split(".")).toHaveLength(3);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it("the Next.js (Auth.js) one names this portal as a generic OIDC provider with the app's values", async () => {
    const { input } = await appFor(true);
    const snippet = quickStartSnippets(input).nextjs;
    expect(snippet).toContain(`issuer: "${input.issuer}"`);
    expect(snippet).toContain(`clientId: "${input.clientId}"`);
    expect(snippet).toContain('type: "oidc"');
    // What Auth.js's OIDC provider reads at start: the discovery document at that issuer.
    const discovery = (await (await fetch(`${input.issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; code_challenge_methods_supported: string[] };
    expect(discovery.issuer).toBe(input.issuer);
    expect(discovery.code_challenge_methods_supported).toContain("S256");
  });
});
