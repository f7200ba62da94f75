/** Passwords, which people choose, are hashed with argon2id (OWASP parameters). */
import { hash, verify } from "@node-rs/argon2";
import { getConfig } from "@/lib/config";

// algorithm 2 is Algorithm.Argon2id (a const enum, which isolatedModules cannot import).
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** Too many password hashes are running and waiting: the caller answers 503 with Retry-After. */
export class PasswordHashingBusyError extends Error {
  override name = "PasswordHashingBusyError";
  constructor() {
    super("Too many sign-ins at once");
  }
}

/**
 * Checked by name: the limiter is one per process (globalThis), and Next may
 * bundle this module more than once, so the thrower's class can be another copy.
 */
export function isPasswordHashingBusy(error: unknown): boolean {
  return error instanceof Error && error.name === "PasswordHashingBusyError";
}

/**
 * Bounds the argon2id work in flight: each hash takes 19 MiB and tens of
 * milliseconds, so a flood of sign-ups or sign-ins must not queue without
 * end. At most `concurrency` run; at most `queue` wait; the rest are refused.
 */
export class WorkLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) throw new PasswordHashingBusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

const holder = globalThis as unknown as { portalPasswordLimiter?: WorkLimiter };

function limiter(): WorkLimiter {
  const { concurrency, queue } = getConfig().passwordHashing;
  holder.portalPasswordLimiter ??= new WorkLimiter(concurrency, queue);
  return holder.portalPasswordLimiter;
}

export function hashPassword(password: string): Promise<string> {
  return limiter().run(() => hash(password, options));
}

// Verified against when the account does not exist, so that an unknown email
// costs the same time as a wrong password and timing reveals nothing.
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    decoyHash ??= hash("decoy password for unknown accounts", options);
    const decoy = await decoyHash;
    await limiter().run(() => verify(decoy, password).catch(() => false));
    return false;
  }
  return limiter().run(() => verify(storedHash, password).catch(() => false));
}
