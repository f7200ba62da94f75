/** Playwright global setup (see ensureTestServer). */
import type { FullConfig } from "@playwright/test";
import { ensureTestServer } from "../../tests/support/test-server";

export default async function globalSetup(config: FullConfig) {
  const server = await ensureTestServer();
  if (!server) return;
  for (const project of config.projects) project.use.baseURL = server.baseUrl;
  return () => server.stop();
}
