/** DPoP proofs seen (RFC 9449 §11.1), shared by every instance so a proof replayed anywhere is refused. */
import { createdOnce, db } from "@/lib/db";
import { hashSecret } from "@/lib/crypto";

/** Records the proof as used; false when it already was. */
export function useDpopProofOnce(jkt: string, jti: string, expiresAt: Date): Promise<boolean> {
  return createdOnce(db().usedDpopProof.create({ data: { id: hashSecret(`${jkt} ${jti}`), expiresAt } }));
}
