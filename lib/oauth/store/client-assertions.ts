/** Storage for the single use of private_key_jwt assertions (RFC 7523 §3), shared by every instance. */
import { db } from "@/lib/db";
import { hashSecret } from "@/lib/crypto";
import { Prisma } from "@/lib/generated/prisma/client";

/** Records the assertion's jti as used; false when it already was. */
export async function useAssertionOnce(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
  try {
    await db().usedClientAssertion.create({ data: { id: hashSecret(`${clientId} ${jti}`), expiresAt } });
    return true;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
    throw error;
  }
}
