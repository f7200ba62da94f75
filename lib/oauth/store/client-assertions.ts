/** Storage for the single use of private_key_jwt assertions (RFC 7523 §3), shared by every instance. */
import { hashSecret } from "@/lib/crypto";
import { createdOnce, db } from "@/lib/db";

/** Records the assertion's jti as used; false when it already was. */
export function useAssertionOnce(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
  return createdOnce(db().usedClientAssertion.create({ data: { id: hashSecret(`${clientId} ${jti}`), expiresAt } }));
}
