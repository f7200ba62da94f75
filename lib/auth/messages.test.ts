import { describe, expect, it } from "vitest";
import { formErrorMessage, waitInWords } from "./messages";

describe("waitInWords", () => {
  it.each([
    [1, "1 second"],
    [30, "30 seconds"],
    [60, "1 minute"],
    [61, "2 minutes"],
    [14 * 60 - 5, "14 minutes"],
    [3600, "1 hour"],
    [5400, "2 hours"],
  ])("says %d seconds as %s", (seconds, words) => {
    expect(waitInWords(seconds)).toBe(words);
  });

  it("puts the wait in the throttling message", () => {
    expect(formErrorMessage("throttled", 840)).toBe("Too many attempts. Try again in 14 minutes.");
  });
});
