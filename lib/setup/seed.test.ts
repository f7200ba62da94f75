import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { seedDemo } from "./seed";

describe("the demo seed", () => {
  it("gives the demo admin a random password, printed once", async () => {
    await db().user.deleteMany({ where: { email: "demo@example.com" } });
    const first = await seedDemo();
    const password = /demo@example\.com \/ password: (\S+)/.exec(first.join("\n"))?.[1];
    expect(password).toMatch(/^[\w-]{16}$/);
    expect(password).not.toBe("demo-password");
    const again = await seedDemo();
    expect(again.join("\n")).not.toContain(password);
    expect(again).toContain("Demo user exists: demo@example.com");
  });
});
