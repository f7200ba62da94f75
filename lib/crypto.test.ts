import { describe, expect, it } from "vitest";
import {
  constantTimeEqual,
  firstTimeOrderedId,
  hashSecret,
  randomBytes,
  randomHex,
  randomToken,
  secretMatches,
  timeOrderedId,
} from "./crypto";

describe("secrets at rest", () => {
  it("makes 256-bit random values by default", () => {
    expect(randomHex()).toMatch(/^[0-9a-f]{64}$/);
    expect(Buffer.from(randomToken(), "base64url")).toHaveLength(32);
    expect(randomHex()).not.toBe(randomHex());
  });

  it("hands out each pooled random byte once, across refills and beyond the pool's size", () => {
    const seen = new Set<string>();
    // 3,000 × 24 bytes spans many 4 KiB refills, with draws straddling their ends.
    for (let draw = 0; draw < 3000; draw += 1) seen.add(randomBytes(24).toString("hex"));
    expect(seen.size).toBe(3000);
    const large = randomBytes(10_000);
    expect(large).toHaveLength(10_000);
    // Roughly uniform: every byte value turns up in 64 KiB, none wildly often (expected 256 each).
    const counts = new Array<number>(256).fill(0);
    for (const byte of Buffer.concat(Array.from({ length: 2048 }, () => randomBytes(32)))) counts[byte]! += 1;
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(Math.max(...counts)).toBeLessThan(380);
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

describe("timeOrderedId", () => {
  it("is a UUID version 7 whose order is the order of the times it was made", () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000].map((ms) => timeOrderedId(ms));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(parseInt(ids[0]!.replace(/-/g, "").slice(0, 12), 16)).toBe(1_700_000_000_000);
    expect(new Set(Array.from({ length: 1000 }, () => timeOrderedId(1)))).toHaveProperty("size", 1000);
  });

  it("has firstTimeOrderedId, which sorts after every id made before its time and before every one made from it on", () => {
    const first = firstTimeOrderedId(1_700_000_000_000);
    for (let index = 0; index < 100; index += 1) {
      expect(timeOrderedId(1_699_999_999_999) < first).toBe(true);
      expect(timeOrderedId(1_700_000_000_000) > first).toBe(true);
    }
  });
});

describe("seal", () => {
  it("opens only with the same purpose, and refuses a changed ciphertext", async () => {
    const { seal, unseal } = await import("./crypto");
    const sealed = seal("a token response", "refresh-grace");
    expect(unseal(sealed, "refresh-grace")).toBe("a token response");
    expect(() => unseal(sealed, "signing-keys")).toThrow();
    const [iv, tag, body] = sealed.split(".");
    const flipped = Buffer.from(body!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    expect(() => unseal([iv, tag, flipped.toString("base64url")].join("."), "refresh-grace")).toThrow();
  });
});
