import { randomUUID } from "node:crypto";
import * as OTPAuth from "otpauth";
import { describe, expect, it } from "vitest";
import { createUser, findUserById } from "@/lib/accounts/users";
import { db } from "@/lib/db";
import { beginTotpEnrolment, checkSecondFactor, confirmTotpEnrolment, disableTotp, factorsOf, SecondFactorError } from "./second-factor";

async function person() {
  return createUser({ email: `factor-${randomUUID()}@example.com`, password: "long enough password" });
}

async function enrolled() {
  const user = await person();
  const enrolment = await beginTotpEnrolment(user);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.secret) });
  const codes = await confirmTotpEnrolment(user, enrolment.sealed, totp.generate());
  return { user: (await findUserById(user.id))!, totp, codes };
}

const ip = "10.9.9.9";

describe("TOTP enrolment", () => {
  it("never replaces an authenticator app already on, and a setup left for 15 minutes expires", async () => {
    const { user } = await enrolled();
    const again = await beginTotpEnrolment(user);
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(again.secret) }).generate();
    await expect(confirmTotpEnrolment(user, again.sealed, code)).rejects.toThrow("already on");

    const fresh = await person();
    const old = Date.now() - 16 * 60 * 1000;
    const realNow = Date.now;
    Date.now = () => old;
    const stale = await beginTotpEnrolment(fresh).finally(() => (Date.now = realNow));
    await expect(
      confirmTotpEnrolment(fresh, stale.sealed, new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(stale.secret) }).generate()),
    ).rejects.toThrow("This setup expired");
  });

  it("offers an otpauth URI with the brand as issuer and a QR code, and stores nothing until a code is confirmed", async () => {
    const user = await person();
    const enrolment = await beginTotpEnrolment(user);
    expect(enrolment.uri).toMatch(
      /^otpauth:\/\/totp\/Identity%20Portal:.*\?issuer=Identity%20Portal&secret=[A-Z2-7]+&algorithm=SHA1&digits=6&period=30$/,
    );
    expect(enrolment.qrSvg).toMatch(/^<svg/);
    expect(enrolment.sealed).not.toContain(enrolment.secret);
    expect((await findUserById(user.id))!.totpSecretSealed).toBeNull();
  });

  it("refuses a wrong code, and another person's enrolment", async () => {
    const user = await person();
    const enrolment = await beginTotpEnrolment(user);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.secret) });
    await expect(confirmTotpEnrolment(user, enrolment.sealed, totp.generate({ timestamp: Date.now() + 300_000 }))).rejects.toThrow(
      SecondFactorError,
    );
    await expect(confirmTotpEnrolment(await person(), enrolment.sealed, totp.generate())).rejects.toThrow("This setup expired");
  });

  it("gives ten distinct recovery codes, stored only as hashes", async () => {
    const { user, codes } = await enrolled();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const stored = await db().recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.map((row) => row.codeHash)).not.toContain(codes[0]);
    expect(user.totpSecretSealed).not.toBeNull();
  });
});

describe("checking a second factor", () => {
  it("takes a code once: the same code, or an older one, fails after it", async () => {
    const { user, totp } = await enrolled();
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    expect(await checkSecondFactor(user, next, { ip })).toEqual({ ok: true, factor: "otp" });
    expect(await checkSecondFactor(user, next, { ip })).toEqual({ ok: false, reason: "wrong_code" });
    expect(await checkSecondFactor(user, totp.generate(), { ip })).toEqual({ ok: false, reason: "wrong_code" });
  });

  it("takes a recovery code once, however it is typed", async () => {
    const { user, codes } = await enrolled();
    const typed = ` ${codes[3]!.toUpperCase().replace(/-/g, " ")} `;
    expect(await checkSecondFactor(user, typed, { ip })).toEqual({ ok: true, factor: "recovery_code" });
    expect(await checkSecondFactor(user, codes[3]!, { ip })).toEqual({ ok: false, reason: "wrong_code" });
    expect((await factorsOf(user)).recoveryCodesLeft).toBe(9);
  });

  it("accepts nothing once the app is turned off", async () => {
    const { user, totp, codes } = await enrolled();
    await disableTotp(user);
    const after = (await findUserById(user.id))!;
    expect(await checkSecondFactor(after, totp.generate({ timestamp: Date.now() + 30_000 }), { ip })).toEqual({
      ok: false,
      reason: "wrong_code",
    });
    expect(await checkSecondFactor(after, codes[0]!, { ip })).toEqual({ ok: false, reason: "wrong_code" });
  });
});
