/**
 * `npm run bench`: starts the production build on a throw-away database and
 * measures, with autocannon at several concurrency levels, the endpoints apps
 * call at volume, and GET /api/v1/me beside a bare jose verification of the
 * same token. Prints requests per second and p50/p99 latency; nothing
 * here passes or fails, the figures are for comparing changes.
 *
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=1,10,50 npm run bench
 *   npm run bench -- --postgres                 # on a throw-away PostgreSQL cluster
 *   BENCH_DATABASE_URL=postgresql://… npm run bench   # in a new database on that server
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import autocannon from "autocannon";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { startPostgres } from "../tests/support/postgres";
import { ensureTestServer } from "../tests/support/test-server";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const levels = (process.env.BENCH_CONNECTIONS ?? "1,10,50").split(",").map(Number);
/** Codes and refresh tokens are single-use, so those runs are counted in requests, not seconds. */
const singleUsePerLevel = Number(process.env.BENCH_SINGLE_USE ?? 1000);

if (!existsSync(".next/BUILD_ID")) {
  console.log("Building the production bundle first...");
  if (spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit" }).status !== 0) process.exit(1);
}

// PostgreSQL: the portal gets a database of its own in this server (tests/support/test-server.ts).
const cluster = !process.env.BENCH_DATABASE_URL && process.argv.includes("--postgres") ? await startPostgres() : undefined;
const postgresServer = process.env.BENCH_DATABASE_URL ?? cluster?.url;
if (postgresServer) process.env.PORTAL_TEST_POSTGRES_URL = postgresServer;
const database = postgresServer ? `PostgreSQL at ${new URL(postgresServer).host}` : "SQLite";

const server = await ensureTestServer();
const baseUrl = process.env.PORTAL_TEST_BASE_URL!;
// Imported after the server exported its variables: these modules read the configuration on use.
const { newClient, newUser, pkcePair } = await import("../tests/support/fixtures");
const { issueAuthorizationCode, findAuthorizationClient } = await import("../lib/oauth/store/authorizations");

type Row = { endpoint: string; connections: number; rps: number; p50: number; p99: number; requests: number; failed: number };
const rows: Row[] = [];
const form = "application/x-www-form-urlencoded";

/** `seconds` is the measured wall time: autocannon reports whole seconds, which skews short runs. */
function record(endpoint: string, connections: number, result: Awaited<ReturnType<typeof autocannon>>, seconds = result.duration) {
  const row = {
    endpoint,
    connections,
    rps: Math.round(result.requests.total / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failed: result.non2xx + result.errors,
  };
  rows.push(row);
  console.log(`${endpoint.padEnd(34)} c=${String(connections).padStart(3)}  ${String(row.rps).padStart(6)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms${row.failed ? `  (${row.failed} failed)` : ""}`);
}

/** One run over a list of single-use request bodies; returns the response bodies. */
async function runSingleUse(endpoint: string, connections: number, bodies: string[], headers: Record<string, string>): Promise<string[]> {
  const queue = [...bodies];
  const answers: string[] = [];
  const started = performance.now();
  const result = await autocannon({
    url: `${baseUrl}/oauth/token`,
    connections,
    amount: bodies.length,
    requests: [
      {
        method: "POST",
        headers: { "content-type": form, ...headers },
        setupRequest: (request) => ({ ...request, body: queue.shift() ?? "" }),
        onResponse: (status, body) => {
          if (status === 200) answers.push(body);
        },
      },
    ],
  });
  record(endpoint, connections, result, (performance.now() - started) / 1000);
  return answers;
}

try {
  const machine = await newClient({ name: "Bench machine", isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
  const machineAuth = { authorization: `Basic ${Buffer.from(`${machine.clientId}:${machine.clientSecret}`).toString("base64")}` };
  const webApp = await newClient({ name: "Bench web app", isFirstParty: true, grantTypes: ["authorization_code", "refresh_token"] });
  const webClient = (await findAuthorizationClient(webApp.clientId))!;
  const { user } = await newUser();

  // Warm up (JIT, caches, connections) so the first measured run is not the slowest for that reason alone.
  await autocannon({ url: `${baseUrl}/oauth/token`, connections: 10, duration: 3, method: "POST", headers: { "content-type": form, ...machineAuth }, body: "grant_type=client_credentials" });

  console.log(`\nBenchmark against ${baseUrl} on ${database} (${seconds}s per timed run)\n`);
  for (const connections of levels) {
    record(
      "POST /oauth/token client_credentials",
      connections,
      await autocannon({ url: `${baseUrl}/oauth/token`, connections, duration: seconds, method: "POST", headers: { "content-type": form, ...machineAuth }, body: "grant_type=client_credentials" }),
    );
  }

  let refreshTokens: string[] = [];
  let userAccessToken: string | undefined;
  for (const connections of levels) {
    const codes: string[] = [];
    const { verifier, challenge } = pkcePair();
    for (let index = 0; index < singleUsePerLevel; index += 1) {
      codes.push(
        await issueAuthorizationCode(
          {
            request: { client: webClient, redirectUri: webApp.redirectUri, redirectUriSent: true, scopes: ["openid", "profile"], codeChallenge: challenge, codeChallengeMethod: "S256", audience: `${baseUrl}/api/v1`, prompt: [] },
            userId: user.id,
            authTime: Math.floor(Date.now() / 1000),
            event: { type: "authorization.approved" },
          },
          600,
        ),
      );
    }
    const bodies = codes.map((code) =>
      new URLSearchParams({ grant_type: "authorization_code", client_id: webApp.clientId, code, redirect_uri: webApp.redirectUri, code_verifier: verifier }).toString(),
    );
    const answers = await runSingleUse("POST /oauth/token authorization_code", connections, bodies, {});
    refreshTokens = answers.map((body) => (JSON.parse(body) as { refresh_token: string }).refresh_token);

    const refreshBodies = refreshTokens.map((token) => new URLSearchParams({ grant_type: "refresh_token", client_id: webApp.clientId, refresh_token: token }).toString());
    const refreshed = await runSingleUse("POST /oauth/token refresh_token", connections, refreshBodies, {});
    if (refreshed.length > 0) userAccessToken = (JSON.parse(refreshed.at(-1)!) as { access_token: string }).access_token;
  }

  const introspector = await newClient({ name: "Bench introspector", isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
  const introspectorAuth = { authorization: `Basic ${Buffer.from(`${introspector.clientId}:${introspector.clientSecret}`).toString("base64")}` };
  const token = ((await (await fetch(`${baseUrl}/oauth/token`, { method: "POST", headers: { "content-type": form, ...introspectorAuth }, body: "grant_type=client_credentials" })).json()) as { access_token: string }).access_token;
  for (const connections of levels) {
    record(
      "POST /oauth/introspect",
      connections,
      await autocannon({ url: `${baseUrl}/oauth/introspect`, connections, duration: seconds, method: "POST", headers: { "content-type": form, ...introspectorAuth }, body: `token=${token}` }),
    );
  }

  // The resource server: the route beside a bare signature check of the same token in this process.
  if (userAccessToken) {
    for (const connections of levels) {
      record(
        "GET /api/v1/me",
        connections,
        await autocannon({ url: `${baseUrl}/api/v1/me`, connections, duration: seconds, headers: { authorization: `Bearer ${userAccessToken}` } }),
      );
    }
    const jwks = createLocalJWKSet((await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
    const started = performance.now();
    let verified = 0;
    while (performance.now() - started < seconds * 1000) {
      await jwtVerify(userAccessToken, jwks, { issuer: baseUrl, audience: `${baseUrl}/api/v1`, typ: "at+jwt" });
      verified += 1;
    }
    const perSecond = Math.round(verified / ((performance.now() - started) / 1000));
    console.log(`${"bare jose jwtVerify (same token)".padEnd(34)} c=  1  ${String(perSecond).padStart(6)} verifications/s in one process`);
    rows.push({ endpoint: "bare jose jwtVerify, same token (no HTTP)", connections: 1, rps: perSecond, p50: 0, p99: 0, requests: verified, failed: 0 });
  } else {
    console.log("GET /api/v1/me skipped: no access token from the refresh runs");
  }

  console.log(`\n${database}:`);
  console.log("\n| endpoint | connections | req/s | p50 ms | p99 ms | requests | failed |\n|---|---:|---:|---:|---:|---:|---:|");
  for (const row of rows) console.log(`| ${row.endpoint} | ${row.connections} | ${row.rps} | ${row.p50} | ${row.p99} | ${row.requests} | ${row.failed} |`);
} finally {
  await server?.stop();
  cluster?.stop();
}
