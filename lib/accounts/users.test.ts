import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createUser, EmailTakenError, signIn } from "./users";

const uniqueEmail = () => `user-${randomUUID()}@example.com`;
const uniqueIp = () => `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe("accounts", () => {
  it("stores an argon2id hash, never the password, and normalises the email", async () => {
    const email = uniqueEmail();
    const user = await createUser({ email: `  ${email.toUpperCase()} `, password: "correct horse" });
    expect(user.email).toBe(email);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain("correct horse");
  });

  it("refuses a second account with the same email", async () => {
    const email = uniqueEmail();
    await createUser({ email, password: "password one" });
    await expect(createUser({ email, password: "password two" })).rejects.toBeInstanceOf(EmailTakenError);
  });

  it("gives the same answer for an unknown email and a wrong password", async () => {
    const email = uniqueEmail();
    await createUser({ email, password: "the right one" });
    expect(await signIn({ email, password: "the wrong one", ip: uniqueIp() })).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await signIn({ email: uniqueEmail(), password: "the wrong one", ip: uniqueIp() })).toEqual({ ok: false, reason: "invalid_credentials" });
    const success = await signIn({ email, password: "the right one", ip: uniqueIp() });
    expect(success.ok).toBe(true);
  });

  it("throttles an account after five failures, even with the right password", async () => {
    const email = uniqueEmail();
    await createUser({ email, password: "the right one" });
    for (let i = 0; i < 5; i++) await signIn({ email, password: "wrong", ip: uniqueIp() });
    const result = await signIn({ email, password: "the right one", ip: uniqueIp() });
    expect(result).toMatchObject({ ok: false, reason: "throttled" });
    if (!result.ok && result.reason === "throttled") expect(result.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("tells a disabled account apart only after the right password", async () => {
    const email = uniqueEmail();
    const user = await createUser({ email, password: "the right one" });
    await db().user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await signIn({ email, password: "wrong", ip: uniqueIp() })).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await signIn({ email, password: "the right one", ip: uniqueIp() })).toEqual({ ok: false, reason: "account_disabled" });
  });
});
