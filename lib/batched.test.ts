import { describe, expect, it } from "vitest";
import { batched } from "./batched";

describe("batched", () => {
  it("serves the calls of one turn together, each with its own answer", async () => {
    const batches: number[][] = [];
    const double = batched(async (inputs: number[]) => {
      batches.push(inputs);
      return inputs.map((input) => input * 2);
    });
    expect(await Promise.all([1, 2, 3].map(double))).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("gathers the calls made while a batch is served into the next one, one batch at a time", async () => {
    const batches: number[][] = [];
    let running = 0;
    let mostAtOnce = 0;
    let finishFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (finishFirst = resolve));
    const echo = batched(async (inputs: number[]) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      batches.push(inputs);
      if (batches.length === 1) await firstHeld;
      running -= 1;
      return inputs;
    });
    const first = echo(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const later = [echo(2), echo(3)];
    await new Promise((resolve) => setImmediate(resolve));
    const last = echo(4);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(batches).toEqual([[1]]);
    finishFirst();
    expect(await Promise.all([first, ...later, last])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    expect(mostAtOnce).toBe(1);
  });

  it("fails every call of a failed batch, and serves the next", async () => {
    let fail = true;
    const flaky = batched(async (inputs: string[]) => {
      if (fail) throw new Error("database gone");
      return inputs;
    });
    const failed = await Promise.allSettled([flaky("a"), flaky("b")]);
    expect(failed.map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(await flaky("c")).toBe("c");
  });
});
