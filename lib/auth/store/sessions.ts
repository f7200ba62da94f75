/** Sessions as rows (keyed hashes of their ids), so every instance sees a sign-out at once. */
import { db } from "@/lib/db";
import { hashSecret } from "@/lib/crypto";
import type { Session, User } from "@/lib/generated/prisma/client";

export async function createSession(input: {
  id: string;
  sid: string;
  userId: string;
  authTime: Date;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
  amr: string;
}): Promise<void> {
  const { id, ...columns } = input;
  await db().session.create({ data: { idHash: hashSecret(id), ...columns, lastSeenAt: new Date() } });
}

export async function findSession(id: string): Promise<(Session & { user: User }) | null> {
  if (id.length > 100) return null;
  return db().session.findUnique({ where: { idHash: hashSecret(id) }, include: { user: true } });
}

export async function touchSession(id: string): Promise<void> {
  await db().session.updateMany({ where: { idHash: hashSecret(id) }, data: { lastSeenAt: new Date() } });
}

export async function deleteSession(id: string): Promise<void> {
  await db().session.deleteMany({ where: { idHash: hashSecret(id) } });
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
