import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Debian's Chromium where it is installed (these machines cannot download
// Playwright's own build); elsewhere Playwright's bundled browser.
const systemChromium = "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  // One browser at a time: on two cores parallel browsers fight the server for CPU.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 30_000,
  reporter: [["list"]],
  globalSetup: "./e2e/support/global-setup.ts",
  use: {
    baseURL: process.env.PORTAL_TEST_BASE_URL,
    trace: "retain-on-failure",
    launchOptions: existsSync(systemChromium)
      ? {
          executablePath: systemChromium,
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        }
      : {},
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
