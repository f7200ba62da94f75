import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { databaseDriver, db } from "@/lib/db";
import { sql, sqlSession, sqlTransaction } from "@/lib/sql";
import { whenNotBusy } from "./sqlite-adapter";

/** Another connection (as the CLI or a backup would be) holding the write lock for `ms`. */
function holdWriteLock(ms: number): Promise<void> {
  const other = new Database(getConfig().databaseUrl.slice("file:".length));
  other.exec("BEGIN EXCLUSIVE");
  return new Promise((resolve) =>
    setTimeout(() => {
      other.exec("COMMIT");
      other.close();
      resolve();
    }, ms),
  );
}

describe.skipIf(getConfig().database.provider !== "sqlite")("the SQLite adapter while another connection holds the write lock", () => {
  it("answers reads at once, keeps the event loop free, and lets writes wait and then succeed", async () => {
    await db().$queryRawUnsafe("SELECT 1");
    const key = `lock-test:${randomUUID()}`;
    const released = holdWriteLock(600);
    const started = Date.now();

    const write = db()
      .loginThrottle.create({ data: { key, windowStart: new Date() } })
      .then(() => Date.now() - started);
    const transaction = db()
      .$transaction(async (tx) => tx.loginThrottle.update({ where: { key }, data: { attempts: 1 } }))
      .then(() => Date.now() - started);
    // A timer fires on time: nothing waits inside the event loop.
    const timerLag = await new Promise<number>((resolve) => {
      const due = Date.now() + 20;
      setTimeout(() => resolve(Date.now() - due), 20);
    });
    const readStarted = Date.now();
    await db().loginThrottle.count();
    const readTook = Date.now() - readStarted;

    expect(timerLag).toBeLessThan(100);
    expect(readTook).toBeLessThan(100);
    await released;
    expect(await write).toBeGreaterThanOrEqual(550);
    expect(await transaction).toBeGreaterThanOrEqual(550);
    expect((await db().loginThrottle.findUnique({ where: { key } }))?.attempts).toBe(1);
  });

  it("gives up on a write after the wait, with the driver's error", async () => {
    const busy = Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    let tries = 0;
    await expect(
      whenNotBusy(() => {
        tries += 1;
        throw busy;
      }, 100),
    ).rejects.toBe(busy);
    expect(tries).toBeGreaterThan(2);
  });

  it("does not retry other errors", async () => {
    let tries = 0;
    await expect(
      whenNotBusy(() => {
        tries += 1;
        throw new Error("no such table");
      }),
    ).rejects.toThrow("no such table");
    expect(tries).toBe(1);
  });
});

/** Holds every WAL sync of this process's adapter until `releaseDisk`, counting them. */
async function holdDiskSyncs() {
  const driver = await databaseDriver();
  if (driver.provider !== "sqlite") throw new Error("SQLite only");
  const adapter = driver.adapter as unknown as { syncWal: () => Promise<void> };
  const realSync = adapter.syncWal.bind(adapter);
  let releaseDisk!: () => void;
  const diskDone = new Promise<void>((resolve) => (releaseDisk = resolve));
  const held = { syncs: 0, releaseDisk: () => releaseDisk(), restore: () => (adapter.syncWal = realSync) };
  adapter.syncWal = async () => {
    held.syncs += 1;
    await diskDone;
    await realSync();
  };
  return held;
}

describe.skipIf(getConfig().database.provider !== "sqlite")("durability on SQLite", () => {
  it("reports a write done only after the WAL is synced to disk, for driver and Prisma writes alike", async () => {
    const disk = await holdDiskSyncs();
    try {
      const key = `durable:${randomUUID()}`;
      let settled = 0;
      const writes = [
        sqlTransaction((session) =>
          session.run(sql`INSERT INTO "LoginThrottle" ("key", "attempts", "windowStart") VALUES (${key}, ${1}, ${new Date()})`),
        ),
        db().loginThrottle.create({ data: { key: `${key}:prisma`, windowStart: new Date() } }),
        db().$transaction((tx) => tx.loginThrottle.create({ data: { key: `${key}:prisma-tx`, windowStart: new Date() } })),
        sqlSession().then((session) =>
          session.run(
            sql`INSERT INTO "LoginThrottle" ("key", "attempts", "windowStart") VALUES (${`${key}:session`}, ${1}, ${new Date()})`,
          ),
        ),
      ].map((write) => write.then(() => (settled += 1)));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(settled).toBe(0);
      expect(disk.syncs).toBeGreaterThan(0);
      disk.releaseDisk();
      await Promise.all(writes);
      expect(settled).toBe(4);
    } finally {
      disk.restore();
    }
  });

  it("commits the transactions that arrive while the disk syncs together, after that sync, with one more sync", async () => {
    const disk = await holdDiskSyncs();
    const key = `grouped:${randomUUID()}`;
    const insert = (suffix: string) =>
      sqlTransaction((session) =>
        session.run(
          sql`INSERT INTO "LoginThrottle" ("key", "attempts", "windowStart") VALUES (${`${key}:${suffix}`}, ${1}, ${new Date()})`,
        ),
      );
    const reader = new Database(getConfig().databaseUrl.slice("file:".length), { readonly: true });
    const visible = () =>
      (reader.prepare(`SELECT COUNT(*) AS "count" FROM "LoginThrottle" WHERE "key" LIKE ?`).get(`${key}:%`) as { count: number }).count;
    try {
      const first = insert("first");
      await new Promise((resolve) => setTimeout(resolve, 20));
      // The first is committed and its sync under way; five more arrive, each in a turn of its own.
      expect(visible()).toBe(1);
      const later: Promise<number>[] = [];
      for (let index = 0; index < 5; index += 1) {
        later.push(insert(`later-${index}`));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(visible()).toBe(1);
      expect(disk.syncs).toBe(1);
      disk.releaseDisk();
      await Promise.all([first, ...later]);
      expect(visible()).toBe(6);
      expect(disk.syncs).toBe(2);
    } finally {
      disk.restore();
      reader.close();
    }
  });
});
