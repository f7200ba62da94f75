/**
 * While another process holds SQLite's write lock (the CLI, a backup), what
 * needs no write keeps answering at once, and writes wait and then succeed.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { newClient, newUser } from "../support/fixtures";
import { basic, postForm, userTokens } from "../support/oauth";

const HOLD_MS = 2000;

/** A second process that takes the write lock with BEGIN EXCLUSIVE, holds it, and commits. */
function lockingProcess(): Promise<{ released: Promise<void> }> {
  const file = getConfig().databaseUrl.slice("file:".length);
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(${JSON.stringify(file)});
    db.exec("BEGIN EXCLUSIVE");
    process.stdout.write("locked\\n");
    setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${HOLD_MS});
  `;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const released = new Promise<void>((resolve, reject) =>
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`)))),
  );
  return new Promise((resolve) => child.stdout.once("data", () => resolve({ released })));
}

async function timed(request: () => Promise<Response>): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await request();
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

// SQLite's lock: PostgreSQL's driver is asynchronous and locks rows, not the database.
describe.skipIf(getConfig().database.provider !== "sqlite")("a database locked by another process", () => {
  it("keeps reads answering within 100 ms while writes wait, then succeed", async () => {
    const { tokens } = await userTokens({}, { scope: "openid profile" });
    const machine = await newClient({ isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    const person = await newUser();
    const page = new HttpSession();
    const reads: Array<[string, () => Promise<Response>]> = [
      ["health", () => fetch(`${baseUrl()}/api/health`)],
      ["jwks", () => fetch(`${baseUrl()}/.well-known/jwks.json`)],
      ["discovery", () => fetch(`${baseUrl()}/.well-known/openid-configuration`)],
      ["api/v1/me", () => fetch(`${baseUrl()}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } })],
      ["introspect", () => postForm("/oauth/introspect", { token: tokens.access_token }, basic(machine.clientId, machine.clientSecret!))],
      ["sign-in page", () => page.get("/sign-in")],
    ];
    // Warm every path first: the first request to a page compiles nothing, but loads its module.
    for (const [, read] of reads) await timed(read);

    const { released } = await lockingProcess();
    const lockedAt = performance.now();
    // Writes started while the lock is held: a sign-in (throttle counters and the audit log) and a token (audit log).
    const signIn = new HttpSession(freshAddress()).signIn(person.email, person.password);
    const token = postForm("/oauth/token", { grant_type: "client_credentials" }, basic(machine.clientId, machine.clientSecret!));

    const timings: Record<string, { status: number; ms: number }> = {};
    for (const [name, read] of reads) timings[name] = await timed(read);
    const readsDoneAt = performance.now() - lockedAt;

    const signedIn = await signIn;
    const signInDoneAt = performance.now() - lockedAt;
    await released;

    expect(readsDoneAt, "the reads ran while the lock was held").toBeLessThan(HOLD_MS);
    for (const [name, timing] of Object.entries(timings)) {
      expect(timing.status, name).toBe(200);
      expect(timing.ms, name).toBeLessThan(100);
    }
    expect(signedIn.status).toBe(303);
    expect(signInDoneAt, "the sign-in waited for the lock").toBeGreaterThan(HOLD_MS - 200);
    expect((await token).status).toBe(200);
  });
});
