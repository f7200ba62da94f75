/**
 * `npm test`: the whole suite at three levels against one production build
 * and one server.
 *   1. build (so the tests exercise exactly what `npm start` serves)
 *   2. unit tests of lib/
 *   3. integration tests over HTTP, then Playwright in Chromium, both against
 *      one throw-away server started here
 */
import { spawnSync } from "node:child_process";
import { startTestServer } from "../tests/support/test-server";

type Stage = { name: string; passed: boolean; seconds: number };
const stages: Stage[] = [];

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
const bins = { next: "node_modules/next/dist/bin/next", vitest: "node_modules/vitest/vitest.mjs", playwright: "node_modules/@playwright/test/cli.js" };

if (run("build", [node, bins.next, "build"])) {
  run("unit", [node, bins.vitest, "run", "--project", "unit"]);
  const server = await startTestServer();
  try {
    const env = { ...server.env, PORTAL_TEST_BASE_URL: server.baseUrl };
    run("integration", [node, bins.vitest, "run", "--project", "integration"], env);
    run("browser", [node, bins.playwright, "test"], env);
  } finally {
    await server.stop();
  }
}

console.log("\n=== Summary");
for (const stage of stages) console.log(`${stage.passed ? "ok  " : "FAIL"} ${stage.name} (${stage.seconds}s)`);
const failed = stages.filter((stage) => !stage.passed).length;
console.log(`stages: ${stages.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
