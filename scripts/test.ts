/**
 * `npm test`: the whole suite at three levels against one production build
 * and one server.
 *   0. the formatter and linter (Biome; `npm run lint`)
 *   1. build (so the tests exercise exactly what `npm start` serves), and
 *      install tests/clients/nextjs-authjs (the Auth.js quick-start runs there:
 *      next-auth's peer ranges differ from the portal's own packages)
 *   2. unit tests of lib/
 *   3. integration tests over HTTP, then Playwright in Chromium, both against
 *      one throw-away server started here
 * `npm run test:postgres` (--postgres) starts a throw-away PostgreSQL cluster
 * and runs the unit and integration stages against it instead.
 */
import { spawnSync } from "node:child_process";
import { startPostgres, type Postgres } from "../tests/support/postgres";
import { startTestServer } from "../tests/support/test-server";

type Stage = { name: string; passed: boolean; seconds: number };
const stages: Stage[] = [];
const postgresRun = process.argv.includes("--postgres");

function run(name: string, command: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n=== ${name}: ${command.join(" ")}`);
  const started = Date.now();
  const [program, ...args] = command;
  const result = spawnSync(program!, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
  const passed = result.status === 0;
  stages.push({ name, passed, seconds: Math.round((Date.now() - started) / 1000) });
  return passed;
}

const node = process.execPath;
const bins = {
  biome: "node_modules/@biomejs/biome/bin/biome",
  next: "node_modules/next/dist/bin/next",
  vitest: "node_modules/vitest/vitest.mjs",
  playwright: "node_modules/@playwright/test/cli.js",
};

let postgres: Postgres | undefined;
try {
  if (postgresRun) {
    postgres = await startPostgres();
    process.env.PORTAL_TEST_POSTGRES_URL = postgres.url;
    // Lets the outage test stop and start the cluster.
    process.env.PORTAL_TEST_POSTGRES_ROOT = postgres.root;
    console.log(`PostgreSQL for the tests: ${postgres.url}`);
  }
  const suffix = postgresRun ? " (PostgreSQL)" : "";
  // The formatter and linter first: a finding fails the run in a second, before the build.
  if (!postgresRun) run("lint", [node, bins.biome, "check", "."]);
  const clientsInstalled = run("snippet clients", ["npm", "ci", "--prefix", "tests/clients/nextjs-authjs", "--no-audit", "--no-fund"]);
  if (clientsInstalled && run("build", [node, bins.next, "build"])) {
    run(`unit${suffix}`, [node, bins.vitest, "run", "--project", "unit"]);
    const server = await startTestServer();
    try {
      const env = {
        ...server.env,
        PORTAL_TEST_BASE_URL: server.baseUrl,
        PORTAL_TEST_LOG_FILE: server.logFile,
        PORTAL_TEST_MAIL_DIR: server.mailDir,
      };
      run(`integration${suffix}`, [node, bins.vitest, "run", "--project", "integration"], env);
      if (!postgresRun) run("browser", [node, bins.playwright, "test"], env);
    } finally {
      await server.stop();
    }
  }
} finally {
  postgres?.stop();
}

console.log("\n=== Summary");
for (const stage of stages) console.log(`${stage.passed ? "ok  " : "FAIL"} ${stage.name} (${stage.seconds}s)`);
const failed = stages.filter((stage) => !stage.passed).length;
console.log(`stages: ${stages.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
