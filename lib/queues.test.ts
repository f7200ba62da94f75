import { describe, expect, it } from "vitest";
import { retryAt } from "./queues";

describe("retryAt", () => {
  it("waits the schedule's delay for the attempts so far, and gives up after the last", () => {
    const now = 1_800_000_000_000;
    expect(retryAt([5, 30], 0, now)).toEqual(new Date(now + 5000));
    expect(retryAt([5, 30], 1, now)).toEqual(new Date(now + 30_000));
    expect(retryAt([5, 30], 2, now)).toBeNull();
  });
});
