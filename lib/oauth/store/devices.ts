/** Device authorizations (RFC 8628): codes stored hashed, answered once, redeemed once (lib/oauth/store/tokens.ts `consume`). */
import { db, isUniqueViolation } from "@/lib/db";
import { hashSecret, randomToken } from "@/lib/crypto";
import type { DeviceAuthorization } from "@/lib/generated/prisma/client";
import { recordConsent } from "@/lib/oauth/store/authorizations";
import { prismaSession } from "@/lib/sql";

export async function createDeviceAuthorization(
  input: { clientId: string; scopes: string; audience: string; interval: number; lifetimeSeconds: number },
  newUserCode: () => string,
): Promise<{ deviceCode: string; userCode: string }> {
  const { lifetimeSeconds, ...columns } = input;
  const deviceCode = randomToken(32);
  // A user code is short: on the rare collision with a live one, draw another.
  for (let attempt = 0; ; attempt += 1) {
    const userCode = newUserCode();
    try {
      await db().deviceAuthorization.create({
        data: {
          deviceCodeHash: hashSecret(deviceCode),
          userCodeHash: hashSecret(userCode),
          ...columns,
          expiresAt: new Date(Date.now() + lifetimeSeconds * 1000),
        },
      });
      return { deviceCode, userCode };
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}

/** The authorization waiting for a person under this (normalized) user code, if any. */
export async function findPendingDevice(userCode: string): Promise<DeviceAuthorization | null> {
  const row = await db().deviceAuthorization.findUnique({ where: { userCodeHash: hashSecret(userCode) } });
  return row && row.status === "pending" && row.expiresAt > new Date() ? row : null;
}

/** The person's answer, once: approving records their consent on the grant the tokens will come from. */
export async function answerDevice(
  userCode: string,
  answer: { approve: boolean; userId: string; authTime: Date; apiId: string },
): Promise<boolean> {
  return db().$transaction(async (tx) => {
    const row = await tx.deviceAuthorization.findUnique({ where: { userCodeHash: hashSecret(userCode) } });
    if (row?.status !== "pending" || row.expiresAt <= new Date()) return false;
    const grantId = answer.approve
      ? await recordConsent(prismaSession(tx), {
          userId: answer.userId,
          clientId: row.clientId,
          apiId: answer.apiId,
          scopes: row.scopes.split(" ").filter(Boolean),
        })
      : null;
    const { count } = await tx.deviceAuthorization.updateMany({
      where: { deviceCodeHash: row.deviceCodeHash, status: "pending" },
      data: { status: answer.approve ? "approved" : "denied", userId: answer.userId, authTime: answer.authTime, grantId },
    });
    return count === 1;
  });
}

export type Poll = { row: DeviceAuthorization; tooSoon: boolean };

/** Records a poll: too soon after the last one (within the interval), the interval grows by 5 s (RFC 8628 §3.5). */
export async function pollDevice(deviceCode: string): Promise<Poll | null> {
  const row = await db().deviceAuthorization.findUnique({ where: { deviceCodeHash: hashSecret(deviceCode) } });
  if (!row) return null;
  const now = new Date();
  const tooSoon = row.lastPolledAt !== null && now.getTime() - row.lastPolledAt.getTime() < row.interval * 1000;
  const updated = await db().deviceAuthorization.update({
    where: { deviceCodeHash: row.deviceCodeHash },
    data: { lastPolledAt: now, ...(tooSoon ? { interval: row.interval + 5 } : {}) },
  });
  return { row: updated, tooSoon };
}
