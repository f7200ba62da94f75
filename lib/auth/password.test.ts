import { describe, expect, it } from "vitest";
import { hashPassword, PasswordHashingBusyError, verifyPassword, WorkLimiter } from "./password";

describe("passwords", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, "correct horse")).toBe(true);
    expect(await verifyPassword(stored, "wrong horse")).toBe(false);
    expect(await verifyPassword(null, "correct horse")).toBe(false);
  });
});

describe("WorkLimiter", () => {
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { opened, open };
  };

  it("runs at most `concurrency` at once, queues at most `queue`, and refuses the rest", async () => {
    const limiter = new WorkLimiter(2, 3);
    const release = gate();
    let running = 0;
    let mostAtOnce = 0;
    const work = async () => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await release.opened;
      running -= 1;
      return "done";
    };
    const outcomes = Array.from({ length: 8 }, () =>
      limiter.run(work).then(
        (value) => value,
        (error: unknown) => error,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(running).toBe(2);
    release.open();
    const results = await Promise.all(outcomes);
    expect(results.filter((result) => result === "done")).toHaveLength(5);
    expect(results.filter((result) => result instanceof PasswordHashingBusyError)).toHaveLength(3);
    expect(mostAtOnce).toBe(2);
  });

  it("frees its slots when work fails, so it never wedges", async () => {
    const limiter = new WorkLimiter(1, 0);
    await expect(limiter.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(limiter.run(async () => "ok")).resolves.toBe("ok");
  });
});
