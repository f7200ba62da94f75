import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { createHealthHandler, createReadinessHandler, liveness } from "./health";

describe("health", () => {
  it("answers 200 when the database answers", async () => {
    const response = await createHealthHandler(db)();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("answers 503 when the database cannot be opened", async () => {
    const unreachable = new PrismaClient({
      adapter: new PrismaBetterSQLite3({ url: "file:/nonexistent-dir/portal.db", fileMustExist: true }),
    });
    const response = await createHealthHandler(() => unreachable)();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable", database: "unreachable" });
  });
});

describe("readiness", () => {
  const unreachable = () =>
    ({ $queryRawUnsafe: () => Promise.reject(new Error("connection refused")) }) as unknown as ReturnType<typeof db>;

  it("is ready when the database answers and no migration is pending", async () => {
    const response = await createReadinessHandler({ database: db, pendingMigrations: async () => [] })();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", database: "ok", migrations: "applied" });
  });

  it("is not ready while a migration is pending, or the database does not answer", async () => {
    const pending = await createReadinessHandler({ database: db, pendingMigrations: async () => ["20990101000000_next"] })();
    expect(pending.status).toBe(503);
    expect(pending.headers.get("retry-after")).toBe("5");
    expect(await pending.json()).toMatchObject({ status: "unavailable", migrations: "pending" });
    const down = await createReadinessHandler({ database: unreachable, pendingMigrations: async () => [] })();
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ database: "unreachable" });
  });

  it("is always live", async () => {
    expect((await liveness()).status).toBe(200);
  });
});
