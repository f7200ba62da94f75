import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./db";

describe("isDatabaseUnavailable", () => {
  it.each([
    ["Prisma cannot reach the server", { code: "P1001", meta: {} }],
    ["the pool timed out", { code: "P2024" }],
    ["a driver adapter says the database is not reachable", { name: "DriverAdapterError", cause: { kind: "DatabaseNotReachable" } }],
    ["PostgreSQL is shutting down", Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })],
    ["a statement timeout", { cause: { originalCode: "57014" } }],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
    ["SQLite stayed locked", Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" })],
  ])("says yes when %s", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a unique violation", { code: "P2002" }],
    ["a bug", new TypeError("x is undefined")],
    ["nothing", undefined],
  ])("says no for %s", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
