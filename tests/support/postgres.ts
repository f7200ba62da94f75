/**
 * A throw-away PostgreSQL cluster from Debian's server binaries, for
 * `npm run test:postgres` and the multi-instance tests. The server refuses to
 * run as root, so as root it runs as the `postgres` user (../shared/toolchain.md),
 * in a fresh data directory, on 127.0.0.1 and a free port, trusting local
 * connections.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { freePort } from "./test-server";

export type Postgres = { url: string; port: number; root: string; stop: () => void };

/** Stops and starts a cluster that startPostgres made (the outage test takes it down under load). */
export function postgresControl(root: string, port: number) {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL's server is not installed");
  const dataDir = path.join(root, "data");
  const run = (program: string, args: string[]) => {
    const asRoot = userInfo().uid === 0;
    const command = asRoot ? "runuser" : path.join(bin, program);
    const fullArgs = asRoot ? ["-u", "postgres", "--", path.join(bin, program), ...args] : args;
    const result = spawnSync(command, fullArgs, { encoding: "utf8", cwd: root });
    if (result.status !== 0) throw new Error(`${program} ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  };
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  return {
    initdb: () => run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"]),
    start: () => run("pg_ctl", ["-D", dataDir, "-l", path.join(root, "postgres.log"), "-o", options, "-w", "start"]),
    stop: (mode: "fast" | "immediate" = "fast") => run("pg_ctl", ["-D", dataDir, "-m", mode, "-w", "stop"]),
  };
}

export function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(path.join(root, name, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], "bin") : null;
}

export async function startPostgres(): Promise<Postgres> {
  if (!postgresBinDir()) throw new Error("PostgreSQL's server is not installed (apt-get install -y postgresql)");
  const root = mkdtempSync(path.join(tmpdir(), "portal-pg-"));
  const port = await freePort();
  if (userInfo().uid === 0) {
    const { uid, gid } = postgresIds();
    chownSync(root, uid, gid);
    chmodSync(root, 0o700);
  }
  const control = postgresControl(root, port);
  control.initdb();
  control.start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    root,
    stop: () => {
      try {
        control.stop("immediate");
      } finally {
        if (!process.env.KEEP_TEST_DATA) rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}
