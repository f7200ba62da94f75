import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { clearAttempts, returnAttempt, takeAttempt, takePacedAttempt } from "./rate-limit";

const start = new Date("2026-01-01T00:00:00Z");
const secondsIn = (seconds: number) => new Date(start.getTime() + seconds * 1000);

describe("takeAttempt", () => {
  it("allows exactly the limit under parallel attempts", async () => {
    const key = `test:${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => takeAttempt(key, 5, 60)));
    expect(results.filter((result) => result.allowed)).toHaveLength(5);
  });

  it("says how long to wait, and starts a new window when the old one ends", async () => {
    const key = `test:${randomUUID()}`;
    await takeAttempt(key, 1, 60, start);
    expect(await takeAttempt(key, 1, 60, secondsIn(20))).toEqual({ allowed: false, retryAfterSeconds: 40 });
    expect(await takeAttempt(key, 1, 60, secondsIn(61))).toEqual({ allowed: true });
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

describe("takePacedAttempt", () => {
  it("lets the free attempts through, then one per pace, never closing for the window", async () => {
    const key = `test:${randomUUID()}`;
    for (let i = 0; i < 3; i++) expect((await takePacedAttempt(key, 3, 30, 900, secondsIn(i))).allowed).toBe(true);
    expect(await takePacedAttempt(key, 3, 30, 900, secondsIn(10))).toEqual({ allowed: false, retryAfterSeconds: 22 });
    expect((await takePacedAttempt(key, 3, 30, 900, secondsIn(32))).allowed).toBe(true);
    expect((await takePacedAttempt(key, 3, 30, 900, secondsIn(40))).allowed).toBe(false);
    expect((await takePacedAttempt(key, 3, 30, 900, secondsIn(62))).allowed).toBe(true);
  });

  it("does not let refused attempts push the next slot away", async () => {
    const key = `test:${randomUUID()}`;
    await takePacedAttempt(key, 1, 30, 900, secondsIn(0));
    for (let i = 1; i < 29; i++) expect((await takePacedAttempt(key, 1, 30, 900, secondsIn(i))).allowed).toBe(false);
    expect((await takePacedAttempt(key, 1, 30, 900, secondsIn(30))).allowed).toBe(true);
  });

  it("lets exactly one of many parallel attempts through once paced", async () => {
    const key = `test:${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 20 }, () => takePacedAttempt(key, 5, 30, 900)));
    expect(results.filter((result) => result.allowed)).toHaveLength(5);
  });
});
