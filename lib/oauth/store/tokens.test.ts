import { describe, expect, it } from "vitest";
import { refreshTokenExpiry } from "./tokens";

const day = 24 * 3600 * 1000;

describe("refreshTokenExpiry", () => {
  const now = new Date("2026-06-01T00:00:00Z");

  it("is the idle lifetime (30 days) from now for a recent sign-in", () => {
    expect(refreshTokenExpiry(new Date(now.getTime() - day), now)).toEqual(new Date(now.getTime() + 30 * day));
  });

  it("never passes the absolute lifetime (90 days) from the sign-in", () => {
    const signedIn = new Date(now.getTime() - 80 * day);
    expect(refreshTokenExpiry(signedIn, now)).toEqual(new Date(signedIn.getTime() + 90 * day));
    expect(refreshTokenExpiry(signedIn, new Date(now.getTime() + 20 * day)).getTime()).toBe(signedIn.getTime() + 90 * day);
  });
});
