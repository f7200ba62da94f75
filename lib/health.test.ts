import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createHealthHandler } from "./health";

describe("health", () => {
  it("answers 200 when the database answers", async () => {
    const response = await createHealthHandler(db)();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("answers 503 when the database cannot be opened", async () => {
    const unreachable = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: "file:/nonexistent-dir/portal.db", fileMustExist: true }) });
    const response = await createHealthHandler(() => unreachable)();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable", database: "unreachable" });
  });
});
