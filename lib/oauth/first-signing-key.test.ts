/** In a file of its own: the key cache test spies on the Prisma model, which a restore leaves unusable for other tests in its file. */
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { activeSigningKey, forgetCachedKeys, insertFirstSigningKey } from "./keys";

describe("the first key of an algorithm", () => {
  it("is made once when instances start together on a database without one, so every instance publishes the key that signs", async () => {
    // EdDSA is not configured in the tests: no key of it exists until asked for.
    await db().signingKey.deleteMany({ where: { alg: "EdDSA" } });
    await db().counter.deleteMany({ where: { name: "first-signing-key:EdDSA" } });
    // Two instances, each finding no key, each making the first one.
    await Promise.all([insertFirstSigningKey("EdDSA"), insertFirstSigningKey("EdDSA")]);
    expect(await db().signingKey.count({ where: { alg: "EdDSA", retiredAt: null } })).toBe(1);
    forgetCachedKeys();
    const signing = await activeSigningKey("EdDSA");
    expect((await db().signingKey.findFirstOrThrow({ where: { alg: "EdDSA", retiredAt: null } })).kid).toBe(signing.kid);
  });
});
