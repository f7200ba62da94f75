/** DPoP proofs seen (RFC 9449 §11.1), shared by every instance so a proof replayed anywhere is refused. */
import { db, isUniqueViolation } from "@/lib/db";
import { hashSecret } from "@/lib/crypto";

/** Records the proof as used; false when it already was. */
export async function useDpopProofOnce(jkt: string, jti: string, expiresAt: Date): Promise<boolean> {
  try {
    await db().usedDpopProof.create({ data: { id: hashSecret(`${jkt} ${jti}`), expiresAt } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
