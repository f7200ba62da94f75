import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { decodeProtectedHeader } from "jose";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { userTokens } from "../support/oauth";
import { runPortalCli } from "../support/portal-cli";

const portal = (...args: string[]) => runPortalCli(args);

describe("npm run portal", () => {
  it("creates a confidential client and prints its id and 64-hex secret as JSON", async () => {
    const run = await portal(
      "client",
      "create",
      "--name",
      "CLI app",
      "--redirect-uri",
      "https://cli.example/cb",
      "--redirect-uri",
      "http://localhost:9000/cb",
      "--scope",
      "openid email",
      "--json",
    );
    expect(run.status).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({
      client_name: "CLI app",
      scope: "openid email",
      redirect_uris: ["https://cli.example/cb", "http://localhost:9000/cb"],
    });
    expect(printed.client_secret).toMatch(/^[0-9a-f]{64}$/);
    const stored = await db().client.findUniqueOrThrow({ where: { id: printed.client_id as string } });
    expect(stored.secretHash).not.toBe(printed.client_secret);
  });

  it("creates a native public app, or a client_secret_post app with its own token lifetime", async () => {
    const native = JSON.parse(
      (
        await portal(
          "client",
          "create",
          "--name",
          "CLI native",
          "--public",
          "--native",
          "--redirect-uri",
          "com.example.cli:/callback",
          "--json",
        )
      ).stdout,
    ) as Record<string, unknown>;
    expect(native).toMatchObject({ token_endpoint_auth_method: "none", application_type: "native" });
    const post = await portal(
      "client",
      "create",
      "--name",
      "CLI post",
      "--redirect-uri",
      "https://cli.example/cb",
      "--auth-method",
      "client_secret_post",
      "--access-token-lifetime",
      "300",
      "--json",
    );
    expect(post.status, post.stderr).toBe(0);
    const printed = JSON.parse(post.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({ token_endpoint_auth_method: "client_secret_post", application_type: "web" });
    expect((await db().client.findUniqueOrThrow({ where: { id: printed.client_id as string } })).accessTokenTtl).toBe(300);
    // A private-use scheme is for native apps only.
    expect((await portal("client", "create", "--name", "CLI web", "--public", "--redirect-uri", "com.example.cli:/callback")).status).toBe(
      1,
    );
  });

  it("prints usage and exits non-zero on bad arguments, writing nothing", async () => {
    const before = await db().client.count();
    const unknownFlag = await portal("client", "create", "--name", "X", "--bogus");
    expect(unknownFlag.status).toBe(2);
    expect(unknownFlag.stderr).toContain("Usage: npm run portal");
    const badUri = await portal("client", "create", "--name", "X", "--redirect-uri", "http://evil.example/cb");
    expect(badUri.status).toBe(1);
    expect(badUri.stderr).toContain("Use https");
    expect((await portal("frobnicate")).status).toBe(2);
    expect(await db().client.count()).toBe(before);
  });

  it("creates a user who can then sign in", async () => {
    const email = `cli-${Date.now()}@example.com`;
    const run = await portal("user", "create", "--email", email, "--password", "a fine password", "--name", "Cli Person");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`User created: ${email}`);
    const response = await new HttpSession(freshAddress()).signIn(email, "a fine password");
    expect(response.status).toBe(303);
  });

  it("seeds the demo idempotently", async () => {
    const first = await portal("seed");
    const second = await portal("seed");
    expect(first.status).toBe(0);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("Demo user exists: demo@example.com");
    expect(second.stdout).toContain("Demo app exists: client_id demo-app");
  });
});

describe("npm run portal -- keys retire", () => {
  it("takes the signing key out of the JWKS, refuses its tokens, and signs with a new key", async () => {
    const { tokens } = await userTokens({}, { scope: "openid profile" });
    const kid = decodeProtectedHeader(tokens.access_token).kid!;
    expect((await fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(200);

    const run = await portal("keys", "retire", kid);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("new key");
    // The server learns of it within its key reload interval (5 s).
    await expect
      .poll(async () => (await fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status, {
        timeout: 7000,
        interval: 250,
      })
      .toBe(401);
    const jwks = (await (await fetch(`${baseUrl()}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((key) => key.kid)).not.toContain(kid);
    const fresh = await userTokens({}, { scope: "openid" });
    expect(decodeProtectedHeader(fresh.tokens.access_token).kid).not.toBe(kid);
    expect((await fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${fresh.tokens.access_token}` } })).status).toBe(200);
  });

  it("refuses an unknown kid, changing nothing", async () => {
    const run = await portal("keys", "retire", "no-such-kid");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("No published signing key has the kid no-such-kid");
    expect((await portal("keys", "retire")).status).toBe(2);
    // Kids are base64url, so one may begin with "-": it is still a kid, not an option.
    const dashed = await portal("keys", "retire", "-u3-dashed-kid");
    expect(dashed.status).toBe(1);
    expect(dashed.stderr).toContain("No published signing key has the kid -u3-dashed-kid");
  });
});
