/** Assertions for OAuth error responses (vitest only). */
import { expect } from "vitest";

export async function expectOAuthError(response: Response, status: number, error: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = (await response.json()) as { error: string; error_description?: string };
  expect(body.error).toBe(error);
  return body;
}
