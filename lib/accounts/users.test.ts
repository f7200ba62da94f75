import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createUser, EmailTakenError, signIn as signInWith } from "./users";

const uniqueEmail = () => `user-${randomUUID()}@example.com`;
const signIn = (input: { email: string; password: string; ip: string; knownDevice?: boolean }) =>
  signInWith({ knownDevice: false, ...input });
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
    expect(await signIn({ email: uniqueEmail(), password: "the wrong one", ip: uniqueIp() })).toEqual({
      ok: false,
      reason: "invalid_credentials",
    });
    const success = await signIn({ email, password: "the right one", ip: uniqueIp() });
    expect(success.ok).toBe(true);
  });

  it("paces an account after five failures from anywhere, even with the right password, on a new browser", async () => {
    const email = uniqueEmail();
    await createUser({ email, password: "the right one" });
    for (let i = 0; i < 5; i++) await signIn({ email, password: "wrong", ip: uniqueIp() });
    const result = await signIn({ email, password: "the right one", ip: uniqueIp() });
    expect(result).toMatchObject({ ok: false, reason: "throttled" });
    // One attempt per pace (30 s), not a lock for the whole 15-minute window.
    if (!result.ok && result.reason === "throttled") expect(result.retryAfterSeconds).toBeLessThanOrEqual(30);
  });

  it("lets the owner in from a browser they signed in on before, however many strangers fail", async () => {
    const email = uniqueEmail();
    await createUser({ email, password: "the right one" });
    for (let i = 0; i < 12; i++) await signIn({ email, password: "wrong", ip: uniqueIp() });
    expect((await signIn({ email, password: "the right one", ip: uniqueIp(), knownDevice: true })).ok).toBe(true);
  });

  it("closes one address's door to one account after five failures, but not the owner's", async () => {
    const email = uniqueEmail();
    await createUser({ email, password: "the right one" });
    const attacker = uniqueIp();
    for (let i = 0; i < 5; i++) await signIn({ email, password: "wrong", ip: attacker, knownDevice: true });
    const locked = await signIn({ email, password: "the right one", ip: attacker, knownDevice: true });
    expect(locked).toMatchObject({ ok: false, reason: "throttled" });
    if (!locked.ok && locked.reason === "throttled") expect(locked.retryAfterSeconds).toBeGreaterThan(800);
    expect((await signIn({ email, password: "the right one", ip: uniqueIp(), knownDevice: true })).ok).toBe(true);
  });

  it("tells a disabled account apart only after the right password", async () => {
    const email = uniqueEmail();
    const user = await createUser({ email, password: "the right one" });
    await db().user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await signIn({ email, password: "wrong", ip: uniqueIp() })).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(await signIn({ email, password: "the right one", ip: uniqueIp() })).toEqual({ ok: false, reason: "account_disabled" });
  });
});
