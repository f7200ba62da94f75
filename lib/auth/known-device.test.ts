import { describe, expect, it } from "vitest";
import { isKnownDeviceFor, rememberAccount } from "./known-device";

describe("known devices", () => {
  it("knows the accounts signed in on this browser, and no others", () => {
    const value = rememberAccount(undefined, "ada@example.com");
    expect(isKnownDeviceFor(value, "ada@example.com")).toBe(true);
    expect(isKnownDeviceFor(value, "bob@example.com")).toBe(false);
    expect(isKnownDeviceFor(undefined, "ada@example.com")).toBe(false);
  });

  it("cannot be forged without the server secret", () => {
    expect(isKnownDeviceFor("ada@example.com", "ada@example.com")).toBe(false);
    expect(isKnownDeviceFor("x".repeat(22), "ada@example.com")).toBe(false);
  });

  it("keeps the last five accounts, newest first, each once", () => {
    let value: string | undefined;
    for (const name of ["a", "b", "c", "d", "e", "f", "b"]) value = rememberAccount(value, `${name}@example.com`);
    expect(value!.split(".")).toHaveLength(5);
    expect(isKnownDeviceFor(value, "b@example.com")).toBe(true);
    expect(isKnownDeviceFor(value, "f@example.com")).toBe(true);
    expect(isKnownDeviceFor(value, "a@example.com")).toBe(false);
  });
});
