import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { booleanOf, dateOf, optionalDateOf, prismaSession, rowsByKey, sql, sqlSession, sqlTransaction } from "./sql";

const newKey = () => `sql-test:${randomUUID()}`;

describe("statements on the driver", () => {
  it("stores dates and reads them back as Prisma does, both ways", async () => {
    const key = newKey();
    const windowStart = new Date("2026-03-04T05:06:07.089Z");
    await sqlTransaction((session) =>
      session.run(sql`INSERT INTO "LoginThrottle" ("key", "attempts", "windowStart") VALUES (${key}, ${3}, ${windowStart})`),
    );
    expect(await db().loginThrottle.findUnique({ where: { key } })).toMatchObject({ attempts: 3, windowStart, lastAttemptAt: null });

    const [fresh] = await (await sqlSession()).rows(sql`SELECT "lastAttemptAt" FROM "LoginThrottle" WHERE "key" = ${key}`);
    expect(optionalDateOf(fresh!.lastAttemptAt)).toBeNull();

    const lastAttemptAt = new Date("2027-01-02T03:04:05.006Z");
    await db().loginThrottle.update({ where: { key }, data: { lastAttemptAt } });
    const [row] = await (await sqlSession()).rows(sql`SELECT "windowStart", "lastAttemptAt" FROM "LoginThrottle" WHERE "key" = ${key}`);
    expect(dateOf(row!.windowStart)).toEqual(windowStart);
    expect(optionalDateOf(row!.lastAttemptAt)).toEqual(lastAttemptAt);
    // Compared in SQL, the stored text orders like the dates it holds.
    const later = await (await sqlSession()).rows(
      sql`SELECT 1 AS "found" FROM "LoginThrottle" WHERE "key" = ${key} AND "lastAttemptAt" > ${new Date("2027-01-02T03:04:05.005Z")}`,
    );
    expect(later).toHaveLength(1);
  });

  it("writes and reads booleans", async () => {
    const ids = [randomUUID(), randomUUID()];
    const session = await sqlSession();
    for (const [index, id] of ids.entries()) {
      await session.run(
        sql`INSERT INTO "User" ("id", "email", "passwordHash", "isAdmin", "createdAt", "updatedAt") VALUES (${id}, ${`${id}@example.com`}, ${"x"}, ${index === 0}, ${new Date()}, ${new Date()})`,
      );
    }
    const rows = await Promise.all(ids.map(async (id) => (await session.rows(sql`SELECT "isAdmin" FROM "User" WHERE "id" = ${id}`))[0]!));
    expect(rows.map((row) => booleanOf(row.isAdmin))).toEqual([true, false]);
    expect((await db().user.findUnique({ where: { id: ids[0] } }))!.isAdmin).toBe(true);
    await db().user.deleteMany({ where: { id: { in: ids } } });
  });

  it("counts changed rows, and writes outside a transaction", async () => {
    const key = newKey();
    const session = await sqlSession();
    expect(
      await session.run(sql`INSERT INTO "LoginThrottle" ("key", "attempts", "windowStart") VALUES (${key}, ${1}, ${new Date()})`),
    ).toBe(1);
    expect(await session.run(sql`UPDATE "LoginThrottle" SET "attempts" = "attempts" + 1 WHERE "key" = ${key}`)).toBe(1);
    expect(await session.run(sql`UPDATE "LoginThrottle" SET "attempts" = 0 WHERE "key" = ${"nobody"}`)).toBe(0);
    const [row] = await session.rows<{ attempts: number }>(
      sql`UPDATE "LoginThrottle" SET "attempts" = "attempts" + 1 WHERE "key" = ${key} RETURNING "attempts"`,
    );
    expect(Number(row!.attempts)).toBe(3);
  });

  it("rolls the whole transaction back when the work throws", async () => {
    const key = newKey();
    await expect(
      sqlTransaction(async (session) => {
        await session.run(sql`INSERT INTO "LoginThrottle" ("key", "attempts", "windowStart") VALUES (${key}, ${1}, ${new Date()})`);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await db().loginThrottle.findUnique({ where: { key } })).toBeNull();
    // The connection is usable afterwards.
    await sqlTransaction((session) =>
      session.run(sql`INSERT INTO "LoginThrottle" ("key", "attempts", "windowStart") VALUES (${key}, ${1}, ${new Date()})`),
    );
    expect(await db().loginThrottle.findUnique({ where: { key } })).not.toBeNull();
  });

  it("keeps simultaneous transactions apart: one that throws loses its writes, the others keep theirs", async () => {
    const keys = Array.from({ length: 10 }, newKey);
    const outcomes = await Promise.allSettled(
      keys.map((key, index) =>
        sqlTransaction(async (session) => {
          await session.run(sql`INSERT INTO "LoginThrottle" ("key", "attempts", "windowStart") VALUES (${key}, ${index}, ${new Date()})`);
          if (index === 3) throw new Error("this one fails");
          await session.run(sql`UPDATE "LoginThrottle" SET "attempts" = "attempts" + 100 WHERE "key" = ${key}`);
          return index;
        }),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(keys.map((_, index) => (index === 3 ? "rejected" : "fulfilled")));
    const rows = await db().loginThrottle.findMany({ where: { key: { in: keys } } });
    expect(rows.map((row) => row.key).sort()).toEqual(keys.filter((_, index) => index !== 3).sort());
    expect(rows.every((row) => row.attempts >= 100)).toBe(true);
  });

  it("runs beside Prisma's transactions on the same connections without a deadlock or a lost update", async () => {
    const key = newKey();
    await db().loginThrottle.create({ data: { key, windowStart: new Date() } });
    const increments = Array.from({ length: 20 }, (_, index) =>
      index % 2 === 0
        ? sqlTransaction(async (session) => {
            await new Promise((resolve) => setTimeout(resolve, 1));
            await session.run(sql`UPDATE "LoginThrottle" SET "attempts" = "attempts" + 1 WHERE "key" = ${key}`);
          })
        : db().$transaction(async (tx) => {
            await new Promise((resolve) => setTimeout(resolve, 1));
            await tx.loginThrottle.update({ where: { key }, data: { attempts: { increment: 1 } } });
          }),
    );
    await Promise.all(increments);
    expect((await db().loginThrottle.findUnique({ where: { key } }))!.attempts).toBe(20);
  });

  it("runs the same statements inside a Prisma transaction", async () => {
    const key = newKey();
    const windowStart = new Date("2026-05-06T07:08:09.010Z");
    await db().$transaction(async (tx) => {
      const session = prismaSession(tx);
      await session.run(sql`INSERT INTO "LoginThrottle" ("key", "attempts", "windowStart") VALUES (${key}, ${2}, ${windowStart})`);
      const [row] = await session.rows(sql`SELECT "windowStart" FROM "LoginThrottle" WHERE "key" = ${key}`);
      expect(dateOf(row!.windowStart)).toEqual(windowStart);
    });
    expect((await db().loginThrottle.findUnique({ where: { key } }))!.windowStart).toEqual(windowStart);
  });
});

describe("rowsByKey", () => {
  it("answers a batched lookup in the order asked, undefined where nothing was found", () => {
    const rows = [
      { id: "b", n: 2 },
      { id: "a", n: 1 },
    ];
    expect(rowsByKey(["a", "missing", "b", "a"], "id", rows)).toEqual([{ id: "a", n: 1 }, undefined, { id: "b", n: 2 }, { id: "a", n: 1 }]);
  });
});
