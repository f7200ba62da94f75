/** Vitest global setup for the integration project (see ensureTestServer). */
import { ensureTestServer, type TestServer } from "./test-server";

let server: TestServer | undefined;

export async function setup() {
  server = await ensureTestServer();
}

export async function teardown() {
  await server?.stop();
}
