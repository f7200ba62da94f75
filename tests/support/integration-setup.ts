/**
 * Vitest global setup for the integration project. `npm test` starts the
 * server once and passes PORTAL_TEST_BASE_URL; run alone, this starts one.
 */
import { startTestServer, type TestServer } from "./test-server";

let server: TestServer | undefined;

export async function setup() {
  if (process.env.PORTAL_TEST_BASE_URL) return;
  server = await startTestServer();
  Object.assign(process.env, server.env, { PORTAL_TEST_BASE_URL: server.baseUrl });
}

export async function teardown() {
  await server?.stop();
}
