import { spawn } from "node:child_process";
import { TSX_CLI } from "./test-server";

export type CliRun = { status: number | null; stdout: string; stderr: string };

/**
 * Runs `npm run portal -- …` (scripts/portal.ts) and waits for it without
 * blocking the test's event loop. spawnSync would: a kept-alive connection to
 * the server could then pass the server's idle timeout with its close
 * unread, and the next fetch would go out on it and fail ("other side
 * closed"), as it did on a slow machine.
 */
export function runPortalCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, "scripts/portal.ts", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}
