/**
 * Sessions as rows (keyed hashes of their ids), so every instance sees a
 * sign-out at once. Read with their person on every signed-in page and
 * written at every sign-in: on the driver (lib/sql.ts).
 */
import { db } from "@/lib/db";
import { hashSecret } from "@/lib/crypto";
import type { Session, User } from "@/lib/generated/prisma/client";
import { userColumnsAs, userFromRow } from "@/lib/accounts/store/people";
import { lookup, sql, sqlSession, sqlTransaction, tableOf, typedRow } from "@/lib/sql";

const SESSION = tableOf<Session>("Session", {
  idHash: "text",
  sid: "text",
  userId: "text",
  authTime: "timestamp(3)",
  createdAt: "timestamp(3)",
  lastSeenAt: "timestamp(3)",
  expiresAt: "timestamp(3)",
  userAgent: "text",
  ip: "text",
  amr: "text",
});

const USER_PREFIX = "user.";
const sessionWithUser = lookup(
  `SELECT ${SESSION.selectFrom("s")}, ${userColumnsAs("u", USER_PREFIX)} FROM "Session" s JOIN "User" u ON u."id" = s."userId"`,
  "s",
  "idHash",
);

export type NewSession = Omit<Session, "idHash" | "createdAt" | "lastSeenAt"> & { id: string };

/** Starts a session in place of `replacing` (the browser's old one, if any), in one transaction. */
export async function replaceSession(replacing: string | undefined, session: NewSession): Promise<void> {
  const { id, ...columns } = session;
  const now = new Date();
  await sqlTransaction(async (tx) => {
    if (replacing) await tx.run(sql`DELETE FROM "Session" WHERE "idHash" = ${hashSecret(replacing)}`);
    await tx.run(SESSION.insertOne({ ...columns, idHash: hashSecret(id), createdAt: now, lastSeenAt: now }));
  });
}

export async function findSession(id: string): Promise<(Session & { user: User }) | null> {
  if (id.length > 100) return null;
  const row = await sessionWithUser(hashSecret(id));
  if (!row) return null;
  return { ...typedRow<Session>(row, SESSION), user: userFromRow(row, USER_PREFIX) };
}

export async function touchSession(id: string): Promise<void> {
  await (await sqlSession()).run(sql`UPDATE "Session" SET "lastSeenAt" = ${new Date()} WHERE "idHash" = ${hashSecret(id)}`);
}

export async function deleteSession(id: string): Promise<void> {
  await (await sqlSession()).run(sql`DELETE FROM "Session" WHERE "idHash" = ${hashSecret(id)}`);
}

/** Ends a person's sessions, except the one named (by the hash the sessions list shows). */
export async function deleteSessionsOf(userId: string, options: { exceptIdHash?: string; onlyIdHash?: string } = {}): Promise<number> {
  const { count } = await db().session.deleteMany({
    where: {
      userId,
      ...(options.onlyIdHash ? { idHash: options.onlyIdHash } : {}),
      ...(options.exceptIdHash ? { NOT: { idHash: options.exceptIdHash } } : {}),
    },
  });
  return count;
}

export function listSessionsOf(userId: string) {
  return db().session.findMany({ where: { userId, expiresAt: { gt: new Date() } }, orderBy: { lastSeenAt: "desc" } });
}

/** Records a second factor given in this session (set up on the security page), without a new cookie. */
export async function setSessionAmr(idHash: string, amr: string): Promise<void> {
  await db().session.updateMany({ where: { idHash }, data: { amr } });
}
