/** Starts a throw-away portal when Playwright runs alone; `npm test` passes PORTAL_TEST_BASE_URL. */
import type { FullConfig } from "@playwright/test";
import { startTestServer } from "../../tests/support/test-server";

export default async function globalSetup(config: FullConfig) {
  if (process.env.PORTAL_TEST_BASE_URL) return;
  const server = await startTestServer();
  Object.assign(process.env, server.env, { PORTAL_TEST_BASE_URL: server.baseUrl });
  for (const project of config.projects) project.use.baseURL = server.baseUrl;
  return () => server.stop();
}
