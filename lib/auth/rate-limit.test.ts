import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { clearAttempts, returnAttempt, takeAttempt } from "./rate-limit";

describe("takeAttempt", () => {
  it("allows exactly the limit under parallel attempts", async () => {
    const key = `test:${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => takeAttempt(key, 5, 60)));
    expect(results.filter((result) => result.allowed)).toHaveLength(5);
  });

  it("says how long to wait, and starts a new window when the old one ends", async () => {
    const key = `test:${randomUUID()}`;
    const start = new Date("2026-01-01T00:00:00Z");
    await takeAttempt(key, 1, 60, start);
    expect(await takeAttempt(key, 1, 60, new Date(start.getTime() + 20_000))).toEqual({ allowed: false, retryAfterSeconds: 40 });
    expect(await takeAttempt(key, 1, 60, new Date(start.getTime() + 61_000))).toEqual({ allowed: true });
  });

  it("counts an attempt given back, or cleared, as not made", async () => {
    const key = `test:${randomUUID()}`;
    await takeAttempt(key, 1, 60);
    await returnAttempt(key);
    expect((await takeAttempt(key, 1, 60)).allowed).toBe(true);
    await clearAttempts(key);
    expect((await takeAttempt(key, 1, 60)).allowed).toBe(true);
  });
});
