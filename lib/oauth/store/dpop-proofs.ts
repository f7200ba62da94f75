/** DPoP proofs seen (RFC 9449 §11.1), shared by every instance so a proof replayed anywhere is refused. */
import { db } from "@/lib/db";
import { hashSecret } from "@/lib/crypto";
import { Prisma } from "@/lib/generated/prisma/client";

/** Records the proof as used; false when it already was. */
export async function useDpopProofOnce(jkt: string, jti: string, expiresAt: Date): Promise<boolean> {
  try {
    await db().usedDpopProof.create({ data: { id: hashSecret(`${jkt} ${jti}`), expiresAt } });
    return true;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
    throw error;
  }
}
