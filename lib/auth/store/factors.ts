/** Second factors as rows: the TOTP secret (sealed) on the person, recovery codes and passkeys beside. */
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import type { Passkey } from "@/lib/generated/prisma/client";
import { sql, sqlSession } from "@/lib/sql";

/** Turns TOTP on with its recovery codes (replacing any old ones), in one transaction. */
export async function saveTotp(userId: string, secretSealed: string, recoveryCodeHashes: string[]): Promise<void> {
  await db().$transaction([
    db().user.update({ where: { id: userId }, data: { totpSecretSealed: secretSealed, totpLastStep: null } }),
    db().recoveryCode.deleteMany({ where: { userId } }),
    db().recoveryCode.createMany({ data: recoveryCodeHashes.map((codeHash) => ({ id: randomUUID(), userId, codeHash })) }),
  ]);
}

export async function removeTotp(userId: string): Promise<void> {
  await db().$transaction([
    db().user.update({ where: { id: userId }, data: { totpSecretSealed: null, totpLastStep: null } }),
    db().recoveryCode.deleteMany({ where: { userId } }),
  ]);
}

export async function replaceRecoveryCodes(userId: string, codeHashes: string[]): Promise<void> {
  await db().$transaction([
    db().recoveryCode.deleteMany({ where: { userId } }),
    db().recoveryCode.createMany({ data: codeHashes.map((codeHash) => ({ id: randomUUID(), userId, codeHash })) }),
  ]);
}

/** Records that a TOTP time step was used; false when it (or a later one) was used already, so a code works once. */
export async function takeTotpStep(userId: string, step: number): Promise<boolean> {
  const { count } = await db().user.updateMany({
    where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step },
  });
  return count === 1;
}

/** Uses a recovery code once: of two requests with the same code, one wins. */
export async function takeRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
  const { count } = await db().recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: new Date() } });
  return count === 1;
}

export function countUnusedRecoveryCodes(userId: string): Promise<number> {
  return db().recoveryCode.count({ where: { userId, usedAt: null } });
}

export function listPasskeys(userId: string): Promise<Passkey[]> {
  return db().passkey.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}

export function findPasskey(id: string): Promise<Passkey | null> {
  return db().passkey.findUnique({ where: { id } });
}

export async function insertPasskey(data: {
  id: string;
  userId: string;
  name: string;
  publicKey: string;
  counter: number;
  transports: string | null;
  backedUp: boolean;
}): Promise<void> {
  await db().passkey.create({ data });
}

export async function recordPasskeyUse(id: string, counter: number): Promise<void> {
  await db().passkey.update({ where: { id }, data: { counter, lastUsedAt: new Date() } });
}

export async function renamePasskey(userId: string, id: string, name: string): Promise<number> {
  return (await db().passkey.updateMany({ where: { id, userId }, data: { name } })).count;
}

export async function deletePasskey(userId: string, id: string): Promise<number> {
  return (await db().passkey.deleteMany({ where: { id, userId } })).count;
}

/** Asked at every sign-in: on the driver (lib/sql.ts). */
export async function countPasskeys(userId: string): Promise<number> {
  const [row] = await (await sqlSession()).rows<{ count: unknown }>(
    sql`SELECT COUNT(*) AS "count" FROM "Passkey" WHERE "userId" = ${userId}`,
  );
  return Number(row?.count ?? 0);
}
