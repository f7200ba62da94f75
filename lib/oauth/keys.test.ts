import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { activeSigningKey, forgetCachedKeys, RELOAD_AFTER_MS } from "./keys";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the signing key cache", () => {
  it("serves the keys it has while a stale set reloads, so signing never waits for the database", async () => {
    forgetCachedKeys();
    const current = await activeSigningKey("RS256");
    // The reload can take as long as it likes: it must not hold up signing.
    let reloads = 0;
    vi.spyOn(db().signingKey, "findMany").mockImplementation((() => {
      reloads += 1;
      return new Promise(() => undefined);
    }) as never);
    vi.spyOn(Date, "now").mockReturnValue(Date.now() + RELOAD_AFTER_MS + 1);
    const served = await Promise.race([activeSigningKey("RS256"), new Promise((resolve) => setTimeout(() => resolve("waited"), 200))]);
    expect(served).toBe(current);
    expect(await activeSigningKey("RS256")).toBe(current);
    expect(reloads).toBe(1);
    vi.restoreAllMocks();
    forgetCachedKeys();
  });
});
