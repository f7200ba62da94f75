import { describe, expect, it } from "vitest";
import { retryAt, workConcurrently } from "./queues";

describe("retryAt", () => {
  it("waits the schedule's delay for the attempts so far, and gives up after the last", () => {
    const now = 1_800_000_000_000;
    expect(retryAt([5, 30], 0, now)).toEqual(new Date(now + 5000));
    expect(retryAt([5, 30], 1, now)).toEqual(new Date(now + 30_000));
    expect(retryAt([5, 30], 2, now)).toBeNull();
  });
});

describe("workConcurrently", () => {
  it("runs a claimed batch at once, never more than the concurrency, and stops when nothing is due", async () => {
    const due = Array.from({ length: 12 }, (_, index) => index);
    let running = 0;
    let most = 0;
    const claims: number[] = [];
    await workConcurrently(
      async (limit) => {
        claims.push(limit);
        return due.splice(0, limit);
      },
      async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
      },
      { concurrency: 5, rounds: 4 },
    );
    expect(most).toBe(5);
    expect(due).toEqual([]);
    // 5 + 5 + 2: the short batch ends the work without another claim.
    expect(claims).toEqual([5, 5, 5]);
  });
});
