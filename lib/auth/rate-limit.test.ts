import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { clearAttempts, clearAttemptsStartingWith, settleAttempts, takeAttempt, takeAttempts } from "./rate-limit";

const start = new Date("2026-01-01T00:00:00Z");
const secondsIn = (seconds: number) => new Date(start.getTime() + seconds * 1000);
const takePacedAttempt = (key: string, limit: number, paceSeconds: number, windowSeconds: number, now?: Date) =>
  takeAttempts([{ key, limit, windowSeconds, paceSeconds }], now);

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
    await settleAttempts({ giveBack: [key] });
    expect((await takeAttempt(key, 1, 60)).allowed).toBe(true);
    await clearAttempts(key);
    expect((await takeAttempt(key, 1, 60)).allowed).toBe(true);
  });
});

describe("a paced counter", () => {
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

describe("takeAttempts", () => {
  it("stops at the first counter that refuses, so the next keeps its allowance", async () => {
    const [first, second] = [`test:${randomUUID()}`, `test:${randomUUID()}`];
    const counters = [
      { key: first, limit: 1, windowSeconds: 60 },
      { key: second, limit: 1, windowSeconds: 60 },
    ];
    expect(await takeAttempts(counters, start)).toEqual({ allowed: true });
    expect(await takeAttempts(counters, secondsIn(1))).toEqual({ allowed: false, retryAfterSeconds: 59 });
    await settleAttempts({ clear: [first] });
    // The refused round stopped at the first counter: the second was counted once, so it refuses now.
    expect(await takeAttempts(counters, secondsIn(2))).toEqual({ allowed: false, retryAfterSeconds: 58 });
    // Counted though refused (a flood keeps the window closed): two to give back.
    await settleAttempts({ clear: [first], giveBack: [second, second] });
    expect(await takeAttempts(counters, secondsIn(3))).toEqual({ allowed: true });
  });

  it("lets exactly the limit through when rounds of several counters run in parallel", async () => {
    const shared = `test:${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        takeAttempts([
          { key: `test:${randomUUID()}`, limit: 5, windowSeconds: 60 },
          { key: shared, limit: 4, windowSeconds: 60, paceSeconds: 30 },
        ]),
      ),
    );
    expect(results.filter((result) => result.allowed)).toHaveLength(4);
  });
});

describe("clearAttemptsStartingWith", () => {
  it("clears the counters under the prefix only, reading _ and % as themselves", async () => {
    const prefix = `test:${randomUUID()} a_b%`;
    const [under, lookalike] = [`${prefix} 1`, `${prefix.replace("a_b%", "axbyz")} 1`];
    for (const key of [under, lookalike]) await takeAttempt(key, 1, 60);
    await clearAttemptsStartingWith(prefix);
    expect((await takeAttempt(under, 1, 60)).allowed).toBe(true);
    expect((await takeAttempt(lookalike, 1, 60)).allowed).toBe(false);
  });
});
