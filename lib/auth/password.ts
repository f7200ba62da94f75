/** Passwords, which people choose, are hashed with argon2id (OWASP parameters). */
import { hash, verify } from "@node-rs/argon2";

// algorithm 2 is Algorithm.Argon2id (a const enum, which isolatedModules cannot import).
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// Verified against when the account does not exist, so that an unknown email
// costs the same time as a wrong password and timing reveals nothing.
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    decoyHash ??= hashPassword("decoy password for unknown accounts");
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
