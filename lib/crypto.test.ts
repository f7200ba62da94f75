import { describe, expect, it } from "vitest";
import { constantTimeEqual, hashSecret, randomHex, randomToken, secretMatches } from "./crypto";

describe("secrets at rest", () => {
  it("makes 256-bit random values by default", () => {
    expect(randomHex()).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(randomToken(), "base64url")).toHaveLength(32);
    expect(randomHex()).not.toBe(randomHex());
  });

  it("stores a keyed hash, never the value, and matches it back", () => {
    const secret = randomHex();
    const stored = hashSecret(secret);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(secret);
    expect(secretMatches(secret, stored)).toBe(true);
    const oneCharacterOff = secret.slice(0, -1) + (secret.endsWith("0") ? "1" : "0");
    expect(secretMatches(oneCharacterOff, stored)).toBe(false);
  });

  it("compares strings of different lengths as unequal", () => {
    expect(constantTimeEqual("abc", "abcd")).toBe(false);
    expect(constantTimeEqual("abc", "abc")).toBe(true);
  });
});
