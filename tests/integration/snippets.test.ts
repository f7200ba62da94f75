/**
 * The quick-start snippets on an app's page, run as a developer would run
 * them: each prints the authorization URL, a person signs in and consents,
 * the address they land on is pasted in, and the snippet prints tokens.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { quickStartSnippets, type SnippetInput } from "@/lib/oauth/snippets";
import { rfcAuthMethod } from "@/lib/oauth/client-auth";
import { newClient, newUser } from "../support/fixtures";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";

type Person = Awaited<ReturnType<typeof newUser>>;

/** Signs in and consents as a person would, for the URL a snippet printed; returns where the browser lands. */
async function authorize(url: string, person: Person): Promise<string> {
  const browser = new HttpSession(freshAddress());
  await browser.signIn(person.email, person.password);
  const target = new URL(url);
  let response = await browser.get(target.pathname + target.search);
  const location = new URL(response.headers.get("location") ?? "", baseUrl());
  if (location.pathname === "/consent") {
    const csrf_token = await browser.csrfTokenFrom(location.pathname + location.search);
    response = await browser.post("/auth/consent", {
      csrf_token,
      request: location.searchParams.get("request") ?? "",
      decision: "authorize",
    });
  }
  return response.headers.get("location") ?? "";
}

/** Runs a snippet: when it prints the authorization URL, the landing address goes to its stdin; returns all it printed. */
async function runSnippet(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; person?: Person } = {},
): Promise<string> {
  const person = options.person ?? (await newUser());
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    let errors = "";
    let answered = false;
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = /(https?:\/\/\S+\/oauth\/authorize\?\S+)/.exec(output)?.[1];
      if (url && !answered) {
        answered = true;
        authorize(url, person).then((callback) => child.stdin.end(`${callback}\n`), reject);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited ${code}: ${errors}\n${output}`))));
  });
}

async function appFor(confidential: boolean, redirectUri?: string): Promise<{ input: SnippetInput; secret?: string }> {
  const owner = await newUser();
  const app = await newClient({
    ownerId: owner.user.id,
    isConfidential: confidential,
    scopes: ["openid", "profile", "email"],
    ...(redirectUri ? { redirectUris: [redirectUri] } : {}),
  });
  const authMethod = rfcAuthMethod(app.client.tokenEndpointAuthMethod) as SnippetInput["authMethod"];
  return {
    input: {
      issuer: getConfig().issuer,
      clientId: app.clientId,
      redirectUri: app.redirectUri,
      authMethod,
      scope: "openid profile email",
      brandName: "Identity Portal",
    },
    secret: app.clientSecret,
  };
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
      const result = JSON.parse(output.slice(output.indexOf("{"))) as {
        access_token: string;
        id_token_claims: { sub: string; iss: string };
      };
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

  // A separate package (npm test installs it): next-auth's peer ranges (@simplewebauthn 9, nodemailer 8) differ from the portal's own.
  const authjsApp = `${process.cwd()}/tests/clients/nextjs-authjs`;

  it.each([true, false])(
    "Next.js with Auth.js (confidential: %s) signs the person in as shown",
    { timeout: 30_000 },
    async (confidential) => {
      expect(existsSync(`${authjsApp}/node_modules/next-auth`), "npm ci --prefix tests/clients/nextjs-authjs").toBe(true);
      const appUrl = `https://app-${randomUUID()}.example`;
      const { input, secret } = await appFor(confidential, `${appUrl}/api/auth/callback/portal`);
      const file = `${authjsApp}/.auth-${randomUUID()}.ts`;
      writeFileSync(file, quickStartSnippets(input).nextjs);
      const person = await newUser({ name: "Ada Snippet" });
      try {
        const env = { APP_URL: appUrl, AUTH_SECRET: randomUUID(), AUTH_TRUST_HOST: "true", ...(secret ? { CLIENT_SECRET: secret } : {}) };
        const output = await runSnippet(process.execPath, ["--import", "tsx", "sign-in.ts", file], env, { cwd: authjsApp, person });
        const session = JSON.parse(output.slice(output.lastIndexOf("\n{") + 1)) as { user: { name: string; email: string } };
        expect(session.user).toMatchObject({ name: "Ada Snippet", email: person.email });
      } finally {
        rmSync(file, { force: true });
      }
    },
  );
});
