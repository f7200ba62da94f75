/** Storage for the single use of private_key_jwt assertions (RFC 7523 §3), shared by every instance. */
import { db, isUniqueViolation } from "@/lib/db";
import { hashSecret } from "@/lib/crypto";

/** Records the assertion's jti as used; false when it already was. */
export async function useAssertionOnce(clientId: string, jti: string, expiresAt: Date): Promise<boolean> {
  try {
    await db().usedClientAssertion.create({ data: { id: hashSecret(`${clientId} ${jti}`), expiresAt } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}
