import { afterEach, describe, expect, it } from "vitest";
import { secondFactorPolicy, secondFactorRequiredFor, setSecondFactorPolicy } from "./settings";

describe("the second-factor policy", () => {
  afterEach(() => setSecondFactorPolicy("off"));

  it("is off until an admin sets it, and applies to admins or everyone as set", async () => {
    expect(await secondFactorPolicy()).toBe("off");
    expect(await secondFactorRequiredFor({ isAdmin: true })).toBe(false);
    await setSecondFactorPolicy("admins");
    expect(await secondFactorRequiredFor({ isAdmin: true })).toBe(true);
    expect(await secondFactorRequiredFor({ isAdmin: false })).toBe(false);
    await setSecondFactorPolicy("everyone");
    expect(await secondFactorRequiredFor({ isAdmin: false })).toBe(true);
  });

  it("refuses a value it does not know", async () => {
    await expect(setSecondFactorPolicy("sometimes" as "off")).rejects.toThrow();
  });
});
