/**
 * Two instances started together on an empty database, behind a round-robin
 * proxy (as a load balancer would put them): both come up, and every token
 * either signs verifies against the JWKS whichever instance serves next.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshAddress, HttpSession } from "../support/http-client";
import { obtainCode, postForm, type TokenSet } from "../support/oauth";
import { freePort, startTestServer, throwAwayDatabaseUrl, throwAwayEnv, type TestServer } from "../support/test-server";
import { DEMO_CLIENT_ID, DEMO_REDIRECT_URI, DEMO_USER } from "@/lib/setup/seed";

let root: string;
let proxy: Server;
let proxyUrl: string;
let instances: TestServer[] = [];
/** Which instance answered each code exchange. */
const exchangedAt = new Set<string>();

/** Sends each request to the next instance in turn. */
function roundRobin(targets: string[], port: number): Promise<Server> {
  let next = 0;
  const server = createServer((incoming, outgoing) => {
    const target = new URL(targets[next++ % targets.length]!);
    if (incoming.url === "/oauth/token") exchangedAt.add(target.port);
    const forwarded = request(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), "portal-first-start-"));
  const port = await freePort();
  // The issuer is the proxy's address, as behind a load balancer.
  const env = throwAwayEnv(root, port, await throwAwayDatabaseUrl(root));
  instances = await Promise.all([startTestServer({ sameAs: env }), startTestServer({ sameAs: env })]);
  proxyUrl = `http://127.0.0.1:${port}`;
  proxy = await roundRobin(
    instances.map((instance) => instance.baseUrl),
    port,
  );
}, 150_000);

afterAll(async () => {
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  await Promise.all(instances.map((instance) => instance.stop()));
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The demo admin's password, printed once by whichever instance seeded the database. */
function demoPassword(): string {
  const printed = instances
    .map((instance) => /demo@example\.com \/ password: (\S+)/.exec(readFileSync(instance.logFile, "utf8"))?.[1])
    .filter(Boolean);
  expect(printed).toHaveLength(1);
  return printed[0]!;
}

describe("two instances started together on an empty database", () => {
  it("seed it once, and every token verifies against the JWKS either instance serves", async () => {
    const browser = new HttpSession(freshAddress(), proxyUrl);
    expect((await browser.signIn(DEMO_USER.email, demoPassword())).status).toBe(303);
    const app = { clientId: DEMO_CLIENT_ID, redirectUri: DEMO_REDIRECT_URI };
    for (let round = 0; round < 4; round += 1) {
      // One request more in odd rounds, so the exchanges alternate between the instances.
      if (round % 2 === 1) await fetch(`${proxyUrl}/api/health`);
      const { code, verifier } = await obtainCode(browser, app);
      const exchanged = await postForm(`${proxyUrl}/oauth/token`, {
        grant_type: "authorization_code",
        client_id: app.clientId,
        code,
        redirect_uri: app.redirectUri,
        code_verifier: verifier,
      });
      expect(exchanged.status).toBe(200);
      const tokens = (await exchanged.json()) as TokenSet;
      // Twice: the proxy sends the two fetches to different instances.
      for (let fetchRound = 0; fetchRound < 2; fetchRound += 1) {
        const jwks = (await (await fetch(`${proxyUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
        for (const token of [tokens.access_token, tokens.id_token!]) await jwtVerify(token, createLocalJWKSet(jwks), { issuer: proxyUrl });
      }
    }
    expect(exchangedAt.size).toBe(2);
  });
});
