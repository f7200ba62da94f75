/**
 * Starts the portal the way `npm start` does, on a free port with a
 * throw-away database and data directory. One server serves a whole test run.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** Runs a TypeScript entry point the way the npm scripts do. */
export const TSX_CLI = "node_modules/tsx/dist/cli.mjs";

export type TestServer = {
  baseUrl: string;
  /** Where the test SMTP server writes the mail this portal sends (tests/support/mailbox.ts reads it). */
  mailDir: string;
  env: Record<string, string>;
  logFile: string;
  stop: () => Promise<void>;
  pid: number;
  /** Resolves with the exit code when the server process ends. */
  exited: Promise<number | null>;
};

/**
 * A database nobody else uses: a SQLite file in `root`, or, when
 * PORTAL_TEST_POSTGRES_URL names a PostgreSQL cluster (npm run test:postgres),
 * a new database in it.
 */
export async function throwAwayDatabaseUrl(root: string): Promise<string> {
  const cluster = process.env.PORTAL_TEST_POSTGRES_URL;
  if (!cluster) return `file:${path.join(root, "portal.db")}`;
  const name = `portal_${randomBytes(6).toString("hex")}`;
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: cluster });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(cluster);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The variables of the portal a test process talks to (set by ensureTestServer or npm test). */
export function currentServerEnv(): Record<string, string> {
  return Object.fromEntries(Object.keys(throwAwayEnv("/", 0)).map((name) => [name, process.env[name] ?? ""]));
}

/** The variables a throw-away portal runs with; tests import lib/ with the same ones. */
export function throwAwayEnv(root: string, port: number, databaseUrl = `file:${path.join(root, "portal.db")}`): Record<string, string> {
  return {
    PORTAL_ENV: "development",
    PORT: String(port),
    HOST: "127.0.0.1",
    ISSUER_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: databaseUrl,
    DATA_DIR: root,
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    SERVER_SECRET: randomBytes(32).toString("base64url"),
    // Lets each test present its own address, so throttling tests do not meet.
    TRUST_PROXY: "true",
    METRICS_TOKEN: randomBytes(24).toString("base64url"),
    // Dynamic registration with an admin's initial access token; tests of open registration start an instance of their own.
    REGISTRATION_POLICY: "token",
    // Set by startTestServer to its own SMTP server; empty (development's outbox) otherwise.
    SMTP_URL: "",
    // Every request logged (with its id), for the tests that read the server's log.
    LOG_LEVEL: "debug",
    // Short deadlines, so the slow-client tests finish in seconds (defaults: 10 s and 30 s).
    HTTP_HEADERS_TIMEOUT: "2",
    HTTP_REQUEST_TIMEOUT: "4",
    // New signing keys are published this long before they sign: longer than a key reload (5 s), short for the tests.
    SIGNING_KEY_PUBLISH_AHEAD: "8",
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Starts a portal. Alone it gets a throw-away database; with `sameAs` (the
 * variables of a running one) it is a second instance of that portal: same
 * database, secrets and issuer, its own port.
 */
export async function startTestServer(
  options: { sameAs?: Record<string, string>; env?: Record<string, string>; issuerHost?: "localhost" } = {},
): Promise<TestServer> {
  const root = mkdtempSync(path.join(tmpdir(), "portal-test-"));
  const port = await freePort();
  // Mail goes through a real SMTP server of the test's own, unless the test says otherwise (SMTP_URL="" for the development outbox).
  const smtp = options.sameAs || options.env?.SMTP_URL !== undefined ? null : await startSmtpSink(path.join(root, "mail"));
  const env = {
    ...(options.sameAs ? { ...options.sameAs, PORT: String(port) } : throwAwayEnv(root, port, await throwAwayDatabaseUrl(root))),
    ...(smtp ? { SMTP_URL: smtp.url } : {}),
    // WebAuthn takes a domain as the relying party, never an IP address.
    ...(options.issuerHost ? { ISSUER_URL: `http://${options.issuerHost}:${port}` } : {}),
    ...options.env,
  };
  const baseUrl = `http://${options.issuerHost ?? "127.0.0.1"}:${port}`;
  const logFile = path.join(root, "server.log");
  // The server writes its log file itself: through a pipe, a parent blocked in
  // spawnSync (npm test running vitest) would leave the log unread, and the
  // server's writes would wait on the full pipe.
  const log = openSync(logFile, "a");
  // tsx as a loader inside one process (as `npm start` runs it), so signals reach the server itself.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  let exited = false;
  const exitCode = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.once("exit", () => (exited = true));

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) {
      smtp?.stop();
      throw new Error(`The test server exited during start-up; see ${logFile}`);
    }
    if (Date.now() > deadline) throw new Error(`The test server did not become healthy; see ${logFile}`);
    const healthy = await fetch(`${baseUrl}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  return {
    baseUrl,
    mailDir: smtp?.dir ?? process.env.PORTAL_TEST_MAIL_DIR ?? "",
    env,
    logFile,
    pid: child.pid!,
    exited: exitCode,
    stop: async () => {
      if (!exited) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (!exited) child.kill("SIGKILL");
      }
      smtp?.stop();
      if (!process.env.KEEP_TEST_DATA) rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * For a test runner started alone: starts a server unless `npm test` already
 * passed one in PORTAL_TEST_BASE_URL, and exports its variables to this process
 * (and so to the workers it forks). Returns the server to stop, if it started one.
 */
export async function ensureTestServer(options: { env?: Record<string, string> } = {}): Promise<TestServer | undefined> {
  if (process.env.PORTAL_TEST_BASE_URL) return undefined;
  const server = await startTestServer(options);
  Object.assign(process.env, server.env, {
    PORTAL_TEST_BASE_URL: server.baseUrl,
    PORTAL_TEST_LOG_FILE: server.logFile,
    PORTAL_TEST_MAIL_DIR: server.mailDir,
  });
  return server;
}

/** The test SMTP server (smtp-sink.ts) in its own process, writing what it receives to `dir`. */
async function startSmtpSink(dir: string): Promise<{ url: string; dir: string; stop: () => void }> {
  mkdirSync(dir, { recursive: true });
  const log = openSync(path.join(dir, "..", "smtp.log"), "a");
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/smtp-sink.ts", dir], { stdio: ["ignore", log, log] });
  closeSync(log);
  const portFile = path.join(dir, "port");
  const deadline = Date.now() + 30_000;
  while (!existsSync(portFile)) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`The test SMTP server did not start; see ${path.join(dir, "..", "smtp.log")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url: `smtp://127.0.0.1:${readFileSync(portFile, "utf8").trim()}`, dir, stop: () => void child.kill("SIGTERM") };
}
