/**
 * `npm run bench`: the endpoints apps call at volume, measured with
 * autocannon, for the portal and, side by side in the same run, for two
 * node-oidc-provider baselines (scripts/bench/oidc-provider.ts: same kinds
 * of clients, PKCE, rotation, RS256 ID tokens): configured as a production
 * deployment runs it (a durable store on the portal's kind of database, JWT
 * access tokens for an API), and with its in-memory store and opaque tokens.
 * For each: requests per second, p50/p99 latency, errors, CPU milliseconds
 * per request and memory (RSS) of the server process, and the ratio of the
 * portal to each baseline: the median of BENCH_ROUNDS rounds, the servers
 * taking turns at each endpoint, and the host's steal time printed (a shared
 * machine drifts). Beside the token grants, their CPU per request over the
 * CPU of the signatures they make; beside GET /api/v1/me, a bare jose
 * verification of the same token in one process. Nothing here passes or
 * fails; the figures are for comparing changes.
 *
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=1,16,50 BENCH_ROUNDS=1 npm run bench
 *   npm run bench -- --postgres                       # the portal on a throw-away PostgreSQL cluster
 *   BENCH_DATABASE_URL=postgresql://… npm run bench   # in a new database on that server
 *   BENCH_COMPARE=0 npm run bench                     # the portal alone
 *   WORKERS=2 npm run bench                           # the portal with a worker per core
 *   BENCH_SOAK=1 npm run bench                        # then 5 minutes of mixed load, RSS every 30 s
 *   BENCH_SIGN_INS=0 npm run bench                    # without the full sign-in flows (200 by default)
 *   npm run bench -- --seed 1000000                   # then again on the database seeded for a million people
 *                                                     # (scripts/bench/seed.ts), with the admin lists and a purge
 */
import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, sign } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import pg from "pg";
import { startPostgres } from "../tests/support/postgres";
import { seedDatabase, type SeedCounts } from "./bench/seed";
import { processTree } from "../tests/support/processes";
import { ensureTestServer, freePort } from "../tests/support/test-server";
import { PORTAL_API_ID } from "@/lib/oauth/apis";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const levels = (process.env.BENCH_CONNECTIONS ?? "16").split(",").map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
/** Codes, refresh tokens and revocations are single-use, so those runs are counted in requests, not seconds. */
const singleUsePerLevel = Number(process.env.BENCH_SINGLE_USE ?? 1000);
/** Single-use requests of each kind sent, unmeasured, before each round's measured ones. */
const WARM_UP_SINGLE_USE = 1000;
const compare = process.env.BENCH_COMPARE !== "0";
/** `--seed N`: after the runs on the empty database, seed it for N people and run the portal's again. */
const seedArgument = process.argv.indexOf("--seed");
const seedPeople = seedArgument < 0 ? 0 : Number(process.argv[seedArgument + 1]) || 1_000_000;
const LIST_SECONDS = Number(process.env.BENCH_LIST_SECONDS ?? 3);
const form = "application/x-www-form-urlencoded";

if (!existsSync(".next/BUILD_ID")) {
  console.log("Building the production bundle first...");
  if (spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit" }).status !== 0) process.exit(1);
}

// PostgreSQL: the portal gets a database of its own in this server (tests/support/test-server.ts).
const cluster = !process.env.BENCH_DATABASE_URL && process.argv.includes("--postgres") ? await startPostgres() : undefined;
const postgresServer = process.env.BENCH_DATABASE_URL ?? cluster?.url;
if (postgresServer) process.env.PORTAL_TEST_POSTGRES_URL = postgresServer;
const database = postgresServer ? `PostgreSQL at ${new URL(postgresServer).host}` : "SQLite";

// Logging as in production (one line per request is for the tests that read the log); metrics on.
const server = await ensureTestServer({ env: { LOG_LEVEL: "info" } });
const portalUrl = process.env.PORTAL_TEST_BASE_URL!;
// Imported after the server exported its variables: these modules read the configuration on use.
const { newClient, newUser, pkcePair } = await import("../tests/support/fixtures");
const { HttpSession, authorizationParams, authorizePath } = await import("../tests/support/http-client");
const { issueAuthorizationCode, findAuthorizationClient } = await import("../lib/oauth/store/authorizations");

/** What the bench needs to know of a server: where its endpoints are, its clients, and how to get codes. */
type Target = {
  name: string;
  baseUrl: string;
  /** The server process, for its CPU time and memory (absent when the bench was pointed at a running portal). */
  pid?: number;
  /** The database server's main process, when the bench started it: its CPU time comes on top of the server's. */
  databasePid?: number;
  paths: { token: string; introspect: string; revoke: string; me: string };
  machineAuth: Record<string, string>;
  web: { clientId: string; redirectUri: string };
  mintCodes: (count: number, challenge: string) => Promise<string[]>;
  /** A person's access token from the last refresh, for the person's endpoint. */
  userAccessToken?: string;
  /** The body of a machine token request for introspection and revocation (a baseline whose API tokens it cannot introspect asks for another resource's). */
  introspectableTokenRequest: string;
  /** A token the person's endpoint accepts, when it is not the refreshed one (a baseline's API tokens are not for its userinfo). */
  personEndpointToken?: () => Promise<string>;
};

/**
 * `mainCycles`, `otherCycles`, `mainInstructions`, `otherInstructions`: millions of CPU cycles and of
 * instructions per request on the servers' main threads and on their other threads (BENCH_PERF_STAT=1).
 */
type Figures = {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  failed: number;
  cpuMsPerRequest: number;
  databaseCpuMsPerRequest: number;
} & Counted;
type Counter = "Cycles" | "Instructions";
type ThreadGroup = "main" | "other";
type Counted = Record<`${ThreadGroup}${Counter}`, number>;
type Row = { endpoint: string; connections: number; figures: Record<string, Figures[]> };
const rows: Row[] = [];
const rss: Record<string, number> = {};

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}` });

/** CPU time (user + system) of a server and its workers, in milliseconds. */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  let total = 0;
  for (const member of processTree(pid)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${member}/stat`, "utf8");
    } catch {
      continue; // ended since it was listed: the database's autovacuum workers come and go
    }
    const fields = stat.split(") ")[1]!.split(" ");
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    total += (Number(fields[11]) + Number(fields[12])) * 10;
  }
  return total;
}

type MachineTicks = { total: number; idle: number; steal: number };

/**
 * The machine's CPU time so far, how much of it was idle, and how much the
 * hypervisor gave to other guests (steal), from /proc/stat in clock ticks.
 */
function machineTicks(): MachineTicks {
  const fields = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  return {
    total: fields.slice(0, 8).reduce((sum, ticks) => sum + ticks, 0),
    idle: (fields[3] ?? 0) + (fields[4] ?? 0),
    steal: fields[7] ?? 0,
  };
}

/**
 * With BENCH_PERF_STAT=1, each measured run also counts the CPU cycles and
 * the instructions of the server's threads (`perf stat`): unlike requests per
 * second, they do not count the time the host takes for other guests, so two
 * builds or two servers compare on a noisy machine too. Instructions repeat
 * within a few percent; cycles also move with the caches other guests share.
 */
const countPerThread = process.env.BENCH_PERF_STAT === "1";

/** Starts counting a server's threads; the function it returns stops and gives the main threads' and the others' totals. */
async function startPerfStat(pid: number | undefined): Promise<(() => Promise<Counted | undefined>) | undefined> {
  if (pid === undefined) return undefined;
  const processes = processTree(pid);
  const output = path.join(tmpdir(), `bench-perf-stat-${process.pid}.csv`);
  const perf = spawn("perf", ["stat", "-e", "cycles,instructions", "-x", ",", "--per-thread", "-o", output, "-p", processes.join(",")], {
    stdio: "ignore",
  });
  // Stopped with SIGINT, perf writes its counts and exits; `error` means it could not start.
  const exited = new Promise<boolean>((resolve) => {
    perf.once("error", () => resolve(false));
    perf.once("exit", () => resolve(true));
  });
  // perf attaches to the threads only after it has started.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return async () => {
    perf.kill("SIGINT");
    const lines = (await exited) && existsSync(output) ? readFileSync(output, "utf8").split("\n") : [];
    rmSync(output, { force: true });
    const totals: Counted = { mainCycles: 0, otherCycles: 0, mainInstructions: 0, otherInstructions: 0 };
    let counted = false;
    // One line per thread and event: "<command>-<thread id>,<count>,,cycles,…"; a process's main thread has its process id.
    for (const line of lines) {
      const match = /^.+-(\d+),(\d+),[^,]*,(cycles|instructions)\b/.exec(line);
      if (!match) continue;
      const group: ThreadGroup = processes.includes(Number(match[1])) ? "main" : "other";
      totals[`${group}${match[3] === "cycles" ? "Cycles" : "Instructions"}`] += Number(match[2]);
      counted = true;
    }
    if (!counted) console.log("(perf stat counted nothing: are the perf tools installed, and is kernel.perf_event_paranoid at most 0?)");
    return counted ? totals : undefined;
  };
}

/** Steal of each measured run, in percent: on a shared virtual machine it says how far the figures can be trusted. */
const stealPercents: number[] = [];

/** The RSS of each process of a server (the supervisor and its workers), in MB. */
function rssOfProcesses(pid: number | undefined): Map<number, number> {
  const sizes = new Map<number, number>();
  if (pid === undefined) return sizes;
  for (const member of processTree(pid)) {
    let status: string;
    try {
      status = readFileSync(`/proc/${member}/status`, "utf8");
    } catch {
      continue; // ended since it was listed
    }
    const line = status.split("\n").find((entry) => entry.startsWith("VmRSS:"));
    sizes.set(member, Math.round(Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024));
  }
  return sizes;
}

function rssMb(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  return [...rssOfProcesses(pid).values()].reduce((sum, mb) => sum + mb, 0);
}

/**
 * Runs one measurement. `active`, when given, is the time from the first
 * request to the last answer, and the machine's ticks at both (single-use
 * runs end between autocannon's one-second ticks, so its own clock would
 * overstate them, and the machine's idle time with them); otherwise the wall
 * time and the ticks around the whole run.
 */
async function measure(
  target: Target,
  endpoint: string,
  connections: number,
  run: () => Promise<Awaited<ReturnType<typeof autocannon>>>,
  active?: () => { seconds: number; ticks?: [MachineTicks, MachineTicks] },
) {
  const perfStat = countPerThread ? await startPerfStat(target.pid) : undefined;
  const cpuBefore = cpuMs(target.pid);
  const databaseCpuBefore = cpuMs(target.databasePid);
  const ticksAroundRun = machineTicks();
  const started = performance.now();
  const result = await run();
  const window = active?.();
  const wallSeconds = window?.seconds ?? (performance.now() - started) / 1000;
  const [ticksBefore, ticksAfter] = window?.ticks ?? [ticksAroundRun, machineTicks()];
  const cpuAfter = cpuMs(target.pid);
  const databaseCpuAfter = cpuMs(target.databasePid);
  // Stopped after the clocks above: perf's exit is not part of the run.
  const counted = await perfStat?.();
  const percentOfMachine = (ticks: "idle" | "steal") =>
    (100 * (ticksAfter[ticks] - ticksBefore[ticks])) / Math.max(1, ticksAfter.total - ticksBefore.total);
  const stealPercent = percentOfMachine("steal");
  stealPercents.push(stealPercent);
  const perRequest = (count: number | undefined) => (count === undefined ? Number.NaN : count / 1e6 / result.requests.total);
  const figures: Figures = {
    rps: Math.round(result.requests.total / wallSeconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failed: result.non2xx + result.errors,
    cpuMsPerRequest: result.requests.total > 0 ? (cpuAfter - cpuBefore) / result.requests.total : 0,
    // Not below zero: a database process that ended meanwhile (autovacuum) takes its CPU time with it.
    databaseCpuMsPerRequest:
      result.requests.total > 0 ? Math.max(0, databaseCpuAfter - databaseCpuBefore) / result.requests.total : Number.NaN,
    mainCycles: perRequest(counted?.mainCycles),
    otherCycles: perRequest(counted?.otherCycles),
    mainInstructions: perRequest(counted?.mainInstructions),
    otherInstructions: perRequest(counted?.otherInstructions),
  };
  let row = rows.find((candidate) => candidate.endpoint === endpoint && candidate.connections === connections);
  if (!row) rows.push((row = { endpoint, connections, figures: {} }));
  (row.figures[target.name] ??= []).push(figures);
  rss[target.name] = rssMb(target.pid);
  console.log(
    `${target.name.padEnd(24)} ${endpoint.padEnd(26)} c=${String(connections).padStart(3)} ${String(figures.rps).padStart(6)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms  ${figures.cpuMsPerRequest.toFixed(2)} CPU ms/req${Number.isNaN(figures.databaseCpuMsPerRequest) ? "" : ` + ${figures.databaseCpuMsPerRequest.toFixed(2)} database`}${figures.failed ? `  (${figures.failed} failed)` : ""}  idle ${percentOfMachine("idle").toFixed(0)}%  steal ${stealPercent.toFixed(0)}%${counted ? `  ${figures.mainCycles.toFixed(2)}M + ${figures.otherCycles.toFixed(2)}M cycles, ${figures.mainInstructions.toFixed(2)}M + ${figures.otherInstructions.toFixed(2)}M instructions/req` : ""}`,
  );
}

/** One run over a list of single-use request bodies; returns the bodies of the 200 answers. */
async function singleUse(
  target: Target,
  endpoint: string,
  path: string,
  connections: number,
  bodies: string[],
  headers: Record<string, string>,
  record: boolean,
): Promise<string[]> {
  const queue = [...bodies];
  const answers: string[] = [];
  let firstSent = 0;
  let lastAnswered = 0;
  let answered = 0;
  let ticksAtFirst: MachineTicks | undefined;
  let ticksAtLast: MachineTicks | undefined;
  const run = () =>
    autocannon({
      url: `${target.baseUrl}${path}`,
      connections,
      amount: bodies.length,
      requests: [
        {
          method: "POST",
          headers: { "content-type": form, ...headers },
          setupRequest: (request) => {
            if (!firstSent) {
              firstSent = performance.now();
              ticksAtFirst = machineTicks();
            }
            return { ...request, body: queue.shift() ?? "" };
          },
          onResponse: (status, body) => {
            lastAnswered = performance.now();
            if (++answered === bodies.length) ticksAtLast = machineTicks();
            if (status === 200) answers.push(body);
          },
        },
      ],
    });
  const active = () => ({
    seconds: (lastAnswered - firstSent) / 1000,
    ticks: ticksAtFirst && ticksAtLast ? ([ticksAtFirst, ticksAtLast] as [MachineTicks, MachineTicks]) : undefined,
  });
  if (record) await measure(target, endpoint, connections, run, active);
  else await run();
  return answers;
}

const timed = (
  target: Target,
  path: string,
  connections: number,
  options: { method?: string; headers?: Record<string, string>; body?: string },
) =>
  autocannon({
    url: `${target.baseUrl}${path}`,
    connections,
    duration: seconds,
    method: options.method ?? "POST",
    headers: options.headers,
    body: options.body,
  });

/**
 * The measured steps of one round for a target, in order. The round runs
 * each step for every target before the next step, so the two servers are
 * measured minutes apart at most: on a shared machine whose speed drifts, a
 * ratio then compares like with like. The first step warms up.
 */
function roundSteps(target: Target): Array<() => Promise<void>> {
  const tokenHeaders = { "content-type": form, ...target.machineAuth };
  const issueMachineToken = async () =>
    (
      (await (
        await fetch(`${target.baseUrl}${target.paths.token}`, {
          method: "POST",
          headers: tokenHeaders,
          body: target.introspectableTokenRequest,
        })
      ).json()) as { access_token: string }
    ).access_token;

  /** Code exchange, then refresh of the tokens it gave; keeps an access token from the refreshes. */
  const exchangeAndRefresh = async (connections: number, count: number, record: boolean) => {
    const { verifier, challenge } = pkcePair();
    const codes = await target.mintCodes(count, challenge);
    const bodies = codes.map((code) =>
      new URLSearchParams({
        grant_type: "authorization_code",
        client_id: target.web.clientId,
        code,
        redirect_uri: target.web.redirectUri,
        code_verifier: verifier,
      }).toString(),
    );
    const exchanged = await singleUse(target, "token: authorization_code", target.paths.token, connections, bodies, {}, record);
    const refreshBodies = exchanged.map((body) =>
      new URLSearchParams({
        grant_type: "refresh_token",
        client_id: target.web.clientId,
        refresh_token: (JSON.parse(body) as { refresh_token: string }).refresh_token,
      }).toString(),
    );
    const refreshed = await singleUse(target, "token: refresh_token", target.paths.token, connections, refreshBodies, {}, record);
    if (refreshed.length > 0) target.userAccessToken = (JSON.parse(refreshed.at(-1)!) as { access_token: string }).access_token;
  };
  const revoke = async (connections: number, count: number, record: boolean) => {
    const tokens: string[] = [];
    for (let index = 0; index < count; index += 1) tokens.push(await issueMachineToken());
    await singleUse(
      target,
      "revocation",
      target.paths.revoke,
      connections,
      tokens.map((token) => `token=${token}`),
      target.machineAuth,
      record,
    );
  };

  return [
    // Warm up (JIT, caches, connections), unmeasured: the single-use runs are short, and a cold
    // process (every worker is one) would otherwise be measured compiling rather than serving.
    async () => {
      await timed(target, target.paths.token, 10, { headers: tokenHeaders, body: "grant_type=client_credentials" });
      await exchangeAndRefresh(10, WARM_UP_SINGLE_USE, false);
      await revoke(10, WARM_UP_SINGLE_USE, false);
    },
    async () => {
      for (const connections of levels) {
        await measure(target, "token: client_credentials", connections, () =>
          timed(target, target.paths.token, connections, { headers: tokenHeaders, body: "grant_type=client_credentials" }),
        );
      }
    },
    async () => {
      for (const connections of levels) await exchangeAndRefresh(connections, singleUsePerLevel, true);
    },
    async () => {
      const introspected = await issueMachineToken();
      for (const connections of levels) {
        await measure(target, "introspection", connections, () =>
          timed(target, target.paths.introspect, connections, { headers: tokenHeaders, body: `token=${introspected}` }),
        );
      }
    },
    async () => {
      for (const connections of levels) await revoke(connections, singleUsePerLevel, true);
    },
    async () => {
      const token = target.personEndpointToken ? await target.personEndpointToken() : target.userAccessToken;
      if (!token) return;
      for (const connections of levels) {
        await measure(target, "GET the person (me)", connections, () =>
          timed(target, target.paths.me, connections, { method: "GET", headers: { authorization: `Bearer ${token}` } }),
        );
      }
    },
  ];
}

async function portalTarget(): Promise<Target> {
  const machine = await newClient({ name: "Bench machine", isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
  const web = await newClient({ name: "Bench web app", isFirstParty: true, grantTypes: ["authorization_code", "refresh_token"] });
  const webClient = (await findAuthorizationClient(web.clientId))!;
  const { user } = await newUser();
  return {
    name: "portal",
    baseUrl: portalUrl,
    pid: server?.pid,
    databasePid: clusterPid(),
    paths: { token: "/oauth/token", introspect: "/oauth/introspect", revoke: "/oauth/revoke", me: "/api/v1/me" },
    machineAuth: basic(machine.clientId, machine.clientSecret!),
    web: { clientId: web.clientId, redirectUri: web.redirectUri },
    introspectableTokenRequest: "grant_type=client_credentials",
    mintCodes: async (count, challenge) => {
      const codes: string[] = [];
      for (let index = 0; index < count; index += 1) {
        codes.push(
          await issueAuthorizationCode(
            {
              request: {
                client: webClient,
                redirectUri: web.redirectUri,
                redirectUriSent: true,
                scopes: ["openid", "profile"],
                codeChallenge: challenge,
                codeChallengeMethod: "S256",
                api: { id: PORTAL_API_ID, identifier: `${portalUrl}/api/v1` },
                prompt: [],
              },
              userId: user.id,
              authTime: Math.floor(Date.now() / 1000),
              event: { type: "authorization.approved" },
            },
            600,
          ),
        );
      }
      return codes;
    },
  };
}

/** The main process of the PostgreSQL cluster the bench started, whose CPU counts for the server using it. */
function clusterPid(): number | undefined {
  return cluster && Number(readFileSync(path.join(cluster.root, "data", "postmaster.pid"), "utf8").split("\n")[0]);
}

/** Where the durable baseline keeps its store: a SQLite file, or a database of its own on the portal's PostgreSQL server. */
async function baselineDatabase(): Promise<{ location: string; drop: () => Promise<void> }> {
  if (!postgresServer) {
    const folder = mkdtempSync(path.join(tmpdir(), "bench-oidc-provider-"));
    return { location: path.join(folder, "oidc.db"), drop: async () => rmSync(folder, { recursive: true, force: true }) };
  }
  const name = `bench_oidc_provider_${process.pid}`;
  const admin = new pg.Client({ connectionString: postgresServer });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresServer);
  url.pathname = `/${name}`;
  return {
    location: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresServer });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

type Baseline = "durable" | "memory";
const BASELINE_NAMES: Record<Baseline, string> = { durable: "oidc-provider, durable", memory: "oidc-provider, in-memory" };

async function oidcProviderTarget(baseline: Baseline): Promise<{ target: Target; stop: () => Promise<void> }> {
  const port = await freePort();
  const secret = "bench-machine-secret-0123456789abcdef";
  const redirectUri = "https://bench.example/callback";
  const clients = [
    {
      client_id: "machine",
      client_secret: secret,
      grant_types: ["client_credentials"],
      redirect_uris: [],
      response_types: [],
      token_endpoint_auth_method: "client_secret_basic",
    },
    {
      client_id: "web",
      grant_types: ["authorization_code", "refresh_token"],
      redirect_uris: [redirectUri],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    },
  ];
  const database = baseline === "durable" ? await baselineDatabase() : undefined;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/bench/oidc-provider.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      BENCH_CLIENTS: JSON.stringify(clients),
      BENCH_BASELINE: baseline,
      BENCH_BASELINE_DATABASE: database?.location ?? "",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "pipe", "ignore"],
  });
  await new Promise((resolve, reject) => {
    child.stdout.once("data", resolve);
    child.once("exit", (code) => reject(new Error(`oidc-provider exited (${code})`)));
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const mintCodes = async (count: number, challenge: string, forApi = true) =>
    (await (
      await fetch(`${baseUrl}/bench/codes`, {
        method: "POST",
        body: JSON.stringify({ clientId: "web", redirectUri, codeChallenge: challenge, count, forApi }),
      })
    ).json()) as string[];
  return {
    target: {
      name: BASELINE_NAMES[baseline],
      baseUrl,
      pid: child.pid!,
      databasePid: baseline === "durable" ? clusterPid() : undefined,
      paths: { token: "/token", introspect: "/token/introspection", revoke: "/token/revocation", me: "/me" },
      machineAuth: basic("machine", secret),
      web: { clientId: "web", redirectUri },
      mintCodes,
      // It cannot introspect or revoke its JWT access tokens: those two run on an opaque token of a second resource.
      introspectableTokenRequest:
        baseline === "durable"
          ? `grant_type=client_credentials&resource=${encodeURIComponent("https://opaque.bench.example")}`
          : "grant_type=client_credentials",
      // Its userinfo takes only tokens that are for no API: one code exchange without the resource.
      personEndpointToken:
        baseline === "durable"
          ? async () => {
              const { verifier, challenge } = pkcePair();
              const [code] = await mintCodes(1, challenge, false);
              const answer = await fetch(`${baseUrl}/token`, {
                method: "POST",
                headers: { "content-type": form },
                body: new URLSearchParams({
                  grant_type: "authorization_code",
                  client_id: "web",
                  code: code!,
                  redirect_uri: redirectUri,
                  code_verifier: verifier,
                }),
              });
              return ((await answer.json()) as { access_token: string }).access_token;
            }
          : undefined,
    },
    stop: async () => {
      child.kill();
      await new Promise((resolve) => child.once("exit", resolve));
      await database?.drop();
    },
  };
}

/**
 * CPU milliseconds of one signature of each algorithm the token grants use,
 * in this process (node:crypto, as both servers sign): what a grant cannot
 * do without, to set its CPU per request against.
 */
function signatureCpuMs(): Record<"RS256" | "ES256", number> {
  const payload = Buffer.from(
    JSON.stringify({ iss: "https://portal.example", sub: "x".repeat(36), aud: "y".repeat(40), iat: 0, exp: 0, scope: "openid profile" }),
  );
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
  const cost = (run: () => void) => {
    for (let index = 0; index < 200; index += 1) run();
    const count = 2000;
    const before = process.cpuUsage();
    for (let index = 0; index < count; index += 1) run();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / count;
  };
  return {
    RS256: cost(() => sign("sha256", payload, rsa)),
    ES256: cost(() => sign("sha256", payload, { key: ec, dsaEncoding: "ieee-p1363" })),
  };
}

/** The signatures each measured grant of the portal makes: an ES256 access token, and an RS256 ID token with openid. */
const SIGNATURES_OF: Record<string, Array<"RS256" | "ES256">> = {
  "token: client_credentials": ["ES256"],
  "token: authorization_code": ["ES256", "RS256"],
  "token: refresh_token": ["ES256", "RS256"],
};

/** Sign-ins per flow measurement (BENCH_SIGN_INS), and how many people sign in at once. */
const signInCount = Number(process.env.BENCH_SIGN_INS ?? 200);
const SIGN_IN_CONCURRENCY = 8;
/** Keycloak's sizing guide: password-based user logins per second per vCPU. */
const KEYCLOAK_SIGN_INS_PER_VCPU = 15;

/**
 * Full sign-ins as a person's browser and the app's back end make them: the
 * authorization request, the sign-in page and form (argon2id with the
 * portal's parameters), the consent page and its Authorize, the code at the
 * redirect URI and its exchange. Each flow is a person new to the app, so
 * consent is asked every time. Returns flows per second and the server's
 * CPU per flow.
 */
async function signInFlows(count: number): Promise<{ perSecond: number; cpuMsPerFlow: number; failed: number }> {
  const app = await newClient({
    name: "Bench sign-in app",
    grantTypes: ["authorization_code", "refresh_token"],
    scopes: ["openid", "profile"],
  });
  const people: Awaited<ReturnType<typeof newUser>>[] = [];
  while (people.length < count)
    people.push(...(await Promise.all(Array.from({ length: Math.min(8, count - people.length) }, () => newUser()))));
  const location = (response: Response) => new URL(response.headers.get("location") ?? "/", portalUrl);
  const pathOf = (url: URL) => `${url.pathname}${url.search}`;
  const flow = async (index: number): Promise<boolean> => {
    const person = people[index]!;
    // A distinct address per person, as people come from their own networks (sign-in throttles are per address too).
    const browser = new HttpSession({ "x-forwarded-for": `203.0.${Math.floor(index / 250) % 250}.${index % 250}` }, portalUrl);
    const { verifier, challenge } = pkcePair();
    const state = `s${index}`;
    const signInPage = location(await browser.get(authorizePath(authorizationParams(app, { state, code_challenge: challenge }))));
    const returnTo = signInPage.searchParams.get("returnTo") ?? "";
    const csrf = await browser.csrfTokenFrom(pathOf(signInPage));
    const signedIn = await browser.post("/auth/sign-in", { csrf_token: csrf, email: person.email, password: person.password, returnTo });
    const consentPage = location(await browser.get(pathOf(location(signedIn))));
    const handle = consentPage.searchParams.get("request") ?? "";
    const consentCsrf = await browser.csrfTokenFrom(pathOf(consentPage));
    const answered = location(await browser.post("/auth/consent", { csrf_token: consentCsrf, request: handle, decision: "authorize" }));
    const code = answered.searchParams.get("code");
    if (!code || answered.searchParams.get("state") !== state) return false;
    const token = await fetch(`${portalUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": form },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: app.clientId,
        code,
        redirect_uri: app.redirectUri,
        code_verifier: verifier,
      }),
    });
    return token.status === 200;
  };
  const cpuBefore = cpuMs(server?.pid);
  const started = performance.now();
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: SIGN_IN_CONCURRENCY }, async () => {
      // A step that did not come as expected (no CSRF token on a page) fails the flow, not the run.
      while (next < count) if (!(await flow(next++).catch(() => false))) failed += 1;
    }),
  );
  const wallSeconds = (performance.now() - started) / 1000;
  return { perSecond: count / wallSeconds, cpuMsPerFlow: (cpuMs(server?.pid) - cpuBefore) / count, failed };
}

type ListFigures = { page: string; rps: number; p50: number; p99: number; failed: number };

/**
 * The admin screens' lists as an admin reads them (signed in, the whole page
 * rendered): each for LIST_SECONDS, one page at a time, as one admin reads
 * them (several at once would measure the queue on two cores, not the page). `activityOf`: the app
 * whose activity page is read.
 */
async function listPages(activityOf: string): Promise<ListFigures[]> {
  const { db } = await import("../lib/db");
  const admin = await newUser();
  await db().user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
  const browser = new HttpSession({ "x-forwarded-for": "203.0.113.250" }, portalUrl);
  await browser.signIn(admin.email, admin.password);
  // The audit log's last page: the one after its 101st oldest event (the page holds 100).
  const oldest = await db().auditEvent.findMany({ orderBy: { id: "asc" }, skip: 100, take: 1, select: { id: true } });
  const pages: Array<[string, string]> = [
    ["people, first page", "/admin"],
    ["people, search", "/admin?q=seed-77"],
    ["apps, first page", "/admin/apps"],
    ["apps, search", `/admin/apps?q=${encodeURIComponent("Seeded App 77")}`],
    ["audit log, first page", "/admin/audit"],
    ["audit log, last page", oldest[0] ? `/admin/audit?before=${oldest[0].id}` : "/admin/audit"],
    ["an app's activity", `/dashboard/apps/${encodeURIComponent(activityOf)}`],
  ];
  const figures: ListFigures[] = [];
  for (const [page, address] of pages) {
    const result = await autocannon({
      url: `${portalUrl}${address}`,
      connections: 1,
      duration: LIST_SECONDS,
      headers: { cookie: browser.cookieHeader() },
    });
    figures.push({
      page,
      rps: Math.round(result.requests.average),
      p50: result.latency.p50,
      p99: result.latency.p99,
      failed: result.non2xx + result.errors,
    });
    console.log(
      `  ${page.padEnd(24)} ${String(Math.round(result.requests.average)).padStart(5)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms${result.non2xx + result.errors ? `  (${result.non2xx + result.errors} failed)` : ""}`,
    );
  }
  return figures;
}

/**
 * The purge on the seeded database (a fifth of the refresh tokens expired),
 * run by another process as another worker or instance runs it on its
 * schedule (`npm run portal -- purge`; in this process its synchronous
 * statements would stall the load generator), under client credentials:
 * how long it takes, what it deletes, and the requests' p99 meanwhile
 * against without it.
 */
async function purgeUnderLoad(
  target: Target,
): Promise<{ seconds: number; summary: string; p99Before: number; p99During: number; requests: number; failed: number }> {
  const tokenHeaders = { "content-type": form, ...target.machineAuth };
  const load = () => timed(target, target.paths.token, 4, { headers: tokenHeaders, body: "grant_type=client_credentials" });
  const quiet = await load();
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/portal.ts", "purge"], {
    env: { ...process.env, ...server?.env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let done = false;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => (done = true));
  let p99During = 0;
  let requests = 0;
  let failed = 0;
  while (!done) {
    const result = await load();
    p99During = Math.max(p99During, result.latency.p99);
    requests += result.requests.total;
    failed += result.non2xx + result.errors;
  }
  await exited;
  const summary = output.trim().split("\n").at(-1) ?? "";
  return { seconds: (performance.now() - started) / 1000, summary, p99Before: quiet.latency.p99, p99During, requests, failed };
}

/**
 * Memory under sustained load: client credentials, introspection and the
 * person's endpoint at once for BENCH_SOAK_SECONDS (300), the server's RSS
 * printed every 30 s. Flat means no cache or queue grows without bound.
 */
async function soak(target: Target, userAccessToken: string) {
  const soakSeconds = Number(process.env.BENCH_SOAK_SECONDS ?? 300);
  const tokenHeaders = { "content-type": form, ...target.machineAuth };
  const introspected = (
    (await (
      await fetch(`${target.baseUrl}${target.paths.token}`, {
        method: "POST",
        headers: tokenHeaders,
        body: "grant_type=client_credentials",
      })
    ).json()) as { access_token: string }
  ).access_token;
  console.log(
    `\nSoak: ${soakSeconds} s of client credentials, introspection and ${target.paths.me} at once (4 connections each); RSS of ${target.name}:`,
  );
  const samples: number[] = [rssMb(target.pid)];
  console.log(`  0 s: ${samples[0]} MB`);
  const started = Date.now();
  const sampler = setInterval(() => {
    samples.push(rssMb(target.pid));
    console.log(`  ${Math.round((Date.now() - started) / 1000)} s: ${samples.at(-1)} MB`);
  }, 30_000);
  const runs = await Promise.all([
    autocannon({
      url: `${target.baseUrl}${target.paths.token}`,
      connections: 4,
      duration: soakSeconds,
      method: "POST",
      headers: tokenHeaders,
      body: "grant_type=client_credentials",
    }),
    autocannon({
      url: `${target.baseUrl}${target.paths.introspect}`,
      connections: 4,
      duration: soakSeconds,
      method: "POST",
      headers: tokenHeaders,
      body: `token=${introspected}`,
    }),
    autocannon({
      url: `${target.baseUrl}${target.paths.me}`,
      connections: 4,
      duration: soakSeconds,
      method: "GET",
      headers: { authorization: `Bearer ${userAccessToken}` },
    }),
  ]);
  clearInterval(sampler);
  const requests = runs.reduce((sum, run) => sum + run.requests.total, 0);
  const failed = runs.reduce((sum, run) => sum + run.non2xx + run.errors, 0);
  const later = samples.slice(3);
  console.log(
    `Soak: ${requests} requests (${failed} failed); RSS after 60 s of load ${samples[2] ?? "–"} MB${later.length ? `, then between ${Math.min(...later)} and ${Math.max(...later)} MB` : ""}`,
  );
  // With WORKERS > 1 the first process is the supervisor, the others its workers.
  const perProcess = [...rssOfProcesses(target.pid)].map(([pid, mb], index) => `${index === 0 ? "main" : "worker"} ${pid}: ${mb} MB`);
  console.log(`Soak: RSS at the end, per process: ${perProcess.join(", ")}`);
}

const baselines: Awaited<ReturnType<typeof oidcProviderTarget>>[] = [];
try {
  console.log(
    `\nBenchmark: the portal (${process.env.WORKERS ?? 1} worker(s)) on ${database}${compare ? `, beside node-oidc-provider with a durable store on ${database} and JWT access tokens, and with its in-memory store` : ""}; ${seconds}s per timed run, ${singleUsePerLevel} requests per single-use run\n`,
  );
  const portal = await portalTarget();
  if (compare) for (const baseline of ["durable", "memory"] as const) baselines.push(await oidcProviderTarget(baseline));
  const targets = [portal, ...baselines.map((baseline) => baseline.target)];
  const others = baselines.map((baseline) => baseline.target.name);
  for (let round = 1; round <= rounds; round += 1) {
    if (rounds > 1) console.log(`Round ${round} of ${rounds}`);
    const steps = targets.map(roundSteps);
    for (let step = 0; step < steps[0]!.length; step += 1) for (const targetSteps of steps) await targetSteps[step]!();
  }
  const userAccessToken = portal.userAccessToken;
  const signIns = signInCount > 0 ? await signInFlows(signInCount) : undefined;

  // As the data grows: the lists on the empty database, then everything again on the seeded one.
  let growth:
    | {
        counts: SeedCounts;
        seededTarget: Target;
        emptyLists: ListFigures[];
        seededLists: ListFigures[];
        purge: Awaited<ReturnType<typeof purgeUnderLoad>>;
      }
    | undefined;
  if (seedPeople > 0) {
    console.log("\nThe admin lists on the empty database:");
    const emptyLists = await listPages(portal.web.clientId);
    console.log(`\nSeeding the database for ${seedPeople.toLocaleString("en")} people (scripts/bench/seed.ts):`);
    const counts = await seedDatabase(server?.env.DATABASE_URL ?? "", seedPeople);
    const seededTarget: Target = { ...portal, name: "portal, seeded" };
    for (let round = 1; round <= rounds; round += 1) {
      console.log(`Seeded database, round ${round} of ${rounds}`);
      for (const step of roundSteps(seededTarget)) await step();
    }
    console.log("\nThe admin lists on the seeded database:");
    const seededLists = await listPages("seed-app-000000000001");
    console.log("\nThe purge of expired rows, under client credentials at 4 connections:");
    growth = { counts, seededTarget, emptyLists, seededLists, purge: await purgeUnderLoad(seededTarget) };
  }
  if (process.env.BENCH_SOAK === "1" && userAccessToken) await soak(portal, userAccessToken);

  // The resource server's own overhead: a bare signature check of the same token in this process.
  let bareVerifications: number | undefined;
  if (userAccessToken) {
    const jwks = createLocalJWKSet((await (await fetch(`${portalUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet);
    const started = performance.now();
    let verified = 0;
    while (performance.now() - started < seconds * 1000) {
      await jwtVerify(userAccessToken, jwks, { issuer: portalUrl, audience: `${portalUrl}/api/v1`, typ: "at+jwt" });
      verified += 1;
    }
    bareVerifications = Math.round(verified / ((performance.now() - started) / 1000));
  }

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  const medians = (runs: Figures[] | undefined): Figures | undefined =>
    runs && {
      rps: median(runs.map((run) => run.rps)),
      p50: median(runs.map((run) => run.p50)),
      p99: median(runs.map((run) => run.p99)),
      requests: median(runs.map((run) => run.requests)),
      failed: runs.reduce((sum, run) => sum + run.failed, 0),
      cpuMsPerRequest: median(runs.map((run) => run.cpuMsPerRequest)),
      databaseCpuMsPerRequest: median(runs.map((run) => run.databaseCpuMsPerRequest)),
      mainCycles: median(runs.map((run) => run.mainCycles)),
      otherCycles: median(runs.map((run) => run.otherCycles)),
      mainInstructions: median(runs.map((run) => run.mainInstructions)),
      otherInstructions: median(runs.map((run) => run.otherInstructions)),
    };
  const cell = (figures: Figures | undefined) =>
    figures
      ? `${figures.rps} | ${figures.p50} | ${figures.p99} | ${figures.failed} | ${figures.cpuMsPerRequest.toFixed(2)}`
      : "– | – | – | – | –";
  // The database's CPU per request, beside the portal's, when the bench started the database.
  const withDatabase = cluster !== undefined;
  const databaseCell = (figures: Figures | undefined) =>
    withDatabase ? ` ${figures ? figures.databaseCpuMsPerRequest.toFixed(2) : "–"} |` : "";
  /** The median of each round's ratio portal / other: the runs of a round are minutes apart, the rounds are not. */
  const ratioCell = (row: Row, other: string) => {
    const portalRuns = row.figures.portal ?? [];
    const otherRuns = row.figures[other] ?? [];
    const roundRatios = portalRuns.flatMap((run, index) => (otherRuns[index]?.rps ? [run.rps / otherRuns[index].rps] : []));
    return roundRatios.length > 0
      ? `${median(roundRatios).toFixed(2)}${roundRatios.length > 1 ? ` (${Math.min(...roundRatios).toFixed(2)}–${Math.max(...roundRatios).toFixed(2)})` : ""}`
      : "–";
  };
  const signing = signatureCpuMs();
  /** CPU per request over the CPU of the signatures the grant makes: how close the grant is to its floor. */
  const signingCell = (row: Row, figures: Figures | undefined) => {
    const signatures = SIGNATURES_OF[row.endpoint];
    if (!signatures || !figures) return "–";
    const floor = signatures.reduce((sum, alg) => sum + signing[alg], 0);
    return `${(figures.cpuMsPerRequest / floor).toFixed(1)}× of ${floor.toFixed(2)}`;
  };
  console.log(
    `\nThe portal (${process.env.WORKERS ?? 1} worker(s)) on ${database}${compare ? ` beside ${others.join(" and ")}` : ""}: medians of ${rounds} round(s) (req/s, p50 and p99 ms, failed in all rounds, CPU ms per request; a ratio is the median of the rounds' ratios, their range in brackets; "signing" is the portal's CPU per request over the CPU of the signatures the grant makes, ms):\n`,
  );
  console.log(
    `| endpoint | c | portal req/s | p50 | p99 | failed | CPU ms/req | signing |${withDatabase ? " database CPU ms/req |" : ""}${others.map((other) => ` ${other} req/s | p50 | p99 | failed | CPU ms/req | ratio |`).join("")}`,
  );
  console.log(
    `|---|---:|---:|---:|---:|---:|---:|---:|${withDatabase ? "---:|" : ""}${others.map(() => "---:|---:|---:|---:|---:|---:|").join("")}`,
  );
  for (const row of rows) {
    const portalFigures = medians(row.figures.portal);
    console.log(
      `| ${row.endpoint} | ${row.connections} | ${cell(portalFigures)} | ${signingCell(row, portalFigures)} |${databaseCell(portalFigures)}${others.map((other) => ` ${cell(medians(row.figures[other]))} | ${ratioCell(row, other)} |`).join("")}`,
    );
  }
  if (compare) {
    console.log(
      "\n(oidc-provider cannot introspect or revoke its JWT access tokens: for the durable baseline those two rows are measured on an opaque token of a second resource, and its userinfo on a token for no API.)",
    );
  }
  console.log(`Signatures in this process: RS256 ${signing.RS256.toFixed(3)} ms, ES256 ${signing.ES256.toFixed(3)} ms of CPU each`);
  if (countPerThread) {
    const counterTable = (counter: Counter, heading: string) => {
      console.log(
        `\n${heading} per request (millions; medians; main threads + other threads: the thread pool's signatures and syncs, V8's collector)${compare ? ", and the ratio of the totals, baseline / portal" : ""}:\n`,
      );
      console.log(`| endpoint | c | portal main | other |${others.map((other) => ` ${other} main | other | ratio |`).join("")}`);
      console.log(`|---|---:|---:|---:|${others.map(() => "---:|---:|---:|").join("")}`);
      const total = (figures: Figures) => figures[`main${counter}`] + figures[`other${counter}`];
      const cells = (figures: Figures | undefined) =>
        figures ? `${figures[`main${counter}`].toFixed(2)} | ${figures[`other${counter}`].toFixed(2)}` : "– | –";
      for (const row of rows) {
        const portalFigures = medians(row.figures.portal);
        const otherCells = others.map((name) => {
          const other = medians(row.figures[name]);
          return ` ${cells(other)} | ${portalFigures && other ? (total(other) / total(portalFigures)).toFixed(2) : "–"} |`;
        });
        console.log(`| ${row.endpoint} | ${row.connections} | ${cells(portalFigures)} |${otherCells.join("")}`);
      }
    };
    counterTable("Cycles", "CPU cycles");
    counterTable("Instructions", "Instructions");
  }
  console.log(
    `\nMemory (RSS) after the runs: ${Object.entries(rss)
      .map(([name, mb]) => `${name} ${mb} MB`)
      .join(", ")}`,
  );
  if (stealPercents.length > 0) {
    const most = Math.max(...stealPercents);
    console.log(
      `CPU time taken by the host for other guests (steal) during the measured runs: median ${median(stealPercents).toFixed(0)}%, at most ${most.toFixed(0)}%${most >= 5 ? " (the figures drift with it; compare ratios, which are measured side by side)" : ""}`,
    );
  }
  if (bareVerifications) console.log(`Bare jose verification of the same access token in one process: ${bareVerifications}/s`);
  if (growth) {
    const { counts, emptyLists, seededLists, purge } = growth;
    console.log(
      `\nAs the data grows: the portal on the empty database and on one seeded with ${counts.people.toLocaleString("en")} people, ${counts.apps.toLocaleString("en")} apps, ${counts.apis.toLocaleString("en")} APIs, ${counts.grants.toLocaleString("en")} grants, ${counts.refreshTokens.toLocaleString("en")} refresh tokens and ${counts.auditEvents.toLocaleString("en")} audit events (medians of ${rounds} round(s); the target: within 20 % of the empty database):\n`,
    );
    console.log("| endpoint | c | empty req/s | p99 | CPU ms/req | seeded req/s | p99 | CPU ms/req | change |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const row of rows) {
      const empty = medians(row.figures.portal);
      const seeded = medians(row.figures["portal, seeded"]);
      if (!empty || !seeded) continue;
      const change = `${seeded.rps >= empty.rps ? "+" : ""}${((100 * (seeded.rps - empty.rps)) / empty.rps).toFixed(0)} %`;
      console.log(
        `| ${row.endpoint} | ${row.connections} | ${empty.rps} | ${empty.p99} | ${empty.cpuMsPerRequest.toFixed(2)} | ${seeded.rps} | ${seeded.p99} | ${seeded.cpuMsPerRequest.toFixed(2)} | ${change} |`,
      );
    }
    console.log("\nThe admin lists (whole pages, signed in, one at a time; the target: p99 under 100 ms):\n");
    console.log("| page | empty req/s | p99 ms | seeded req/s | p50 ms | p99 ms |");
    console.log("|---|---:|---:|---:|---:|---:|");
    for (const [index, seeded] of seededLists.entries()) {
      const empty = emptyLists[index];
      console.log(
        `| ${seeded.page} | ${empty?.rps ?? "–"} | ${empty?.p99 ?? "–"} | ${seeded.rps} | ${seeded.p50} | ${seeded.p99}${seeded.failed ? ` (${seeded.failed} failed)` : ""} |`,
      );
    }
    console.log(
      `\nThe purge (${purge.summary}) took ${purge.seconds.toFixed(1)} s; client credentials meanwhile: p99 ${purge.p99During} ms (${purge.p99Before} ms without it), ${purge.requests} requests, ${purge.failed} failed`,
    );
  }
  if (signIns) {
    const cores = availableParallelism();
    console.log(
      `Full sign-ins (authorization request, sign-in form with argon2id, consent, code, token; ${SIGN_IN_CONCURRENCY} people at once, ${signInCount} people): ${signIns.perSecond.toFixed(1)}/s on ${cores} cores shared with the load generator, ${(signIns.perSecond / cores).toFixed(1)} per core, ${signIns.cpuMsPerFlow.toFixed(1)} CPU ms per sign-in (${(1000 / signIns.cpuMsPerFlow).toFixed(1)} per second per core of the portal's CPU)${signIns.failed ? `, ${signIns.failed} failed` : ""}; Keycloak's sizing guide: ${KEYCLOAK_SIGN_INS_PER_VCPU} per second per vCPU`,
    );
  }
} finally {
  for (const baseline of baselines) await baseline.stop();
  await server?.stop();
  cluster?.stop();
}
