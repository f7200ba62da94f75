/** Initial access tokens for dynamic client registration (RFC 7591 §3): stored hashed, used up atomically. */
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";
import { hashSecret, randomToken } from "@/lib/crypto";

/** Creates one; the token exists in plain form only in the answer. */
export async function createInitialAccessToken(input: {
  label: string;
  uses: number;
  days: number;
  createdById: string | null;
}): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + input.days * 86_400_000);
  await db().initialAccessToken.create({
    data: {
      id: randomUUID(),
      tokenHash: hashSecret(token),
      label: input.label,
      usesLeft: input.uses,
      expiresAt,
      createdById: input.createdById,
    },
  });
  return { token, expiresAt };
}

/** Takes one use of the token; false when it is unknown, expired or used up (one conditional update, so parallel uses cannot overdraw it). */
export async function takeInitialAccessToken(token: string): Promise<boolean> {
  const { count } = await db().initialAccessToken.updateMany({
    where: { tokenHash: hashSecret(token), usesLeft: { gt: 0 }, expiresAt: { gt: new Date() } },
    data: { usesLeft: { decrement: 1 } },
  });
  return count === 1;
}

export function listInitialAccessTokens() {
  return db().initialAccessToken.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, label: true, usesLeft: true, expiresAt: true, createdAt: true },
  });
}

export async function deleteInitialAccessToken(id: string): Promise<void> {
  await db().initialAccessToken.deleteMany({ where: { id } });
}
