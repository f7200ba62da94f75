import { describe, expect, it } from "vitest";
import { readableOn } from "./brand";

describe("readableOn", () => {
  it("picks white on dark brand colours and black on light ones", () => {
    expect(readableOn("#4f46e5")).toBe("#ffffff");
    expect(readableOn("#000000")).toBe("#ffffff");
    expect(readableOn("#facc15")).toBe("#000000");
    expect(readableOn("#ffffff")).toBe("#000000");
  });
});
