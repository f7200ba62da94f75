import { describe, expect, it } from "vitest";
import { hashSecret } from "@/lib/crypto";
import { db } from "@/lib/db";
import { personAndApp } from "./approved-codes.testing";
import { consume, findCode, newRefreshToken, refreshTokenExpiry } from "./tokens";
import { alongside } from "@/lib/oauth/grants/user-tokens";

const day = 24 * 3600 * 1000;

describe("refreshTokenExpiry", () => {
  const now = new Date("2026-06-01T00:00:00Z");

  it("is the idle lifetime (30 days) from now for a recent sign-in", () => {
    expect(refreshTokenExpiry(new Date(now.getTime() - day), now)).toEqual(new Date(now.getTime() + 30 * day));
  });

  it("never passes the absolute lifetime (90 days) from the sign-in", () => {
    const signedIn = new Date(now.getTime() - 80 * day);
    expect(refreshTokenExpiry(signedIn, now)).toEqual(new Date(signedIn.getTime() + 90 * day));
    expect(refreshTokenExpiry(signedIn, new Date(now.getTime() + 20 * day)).getTime()).toBe(signedIn.getTime() + 90 * day);
  });
});

/** Uses up a code the way a code exchange does, with a successor refresh token of the code's family. */
async function redeem(value: string, afterLookup: () => Promise<unknown> = async () => undefined) {
  const code = (await findCode(value))!;
  await afterLookup();
  const successor = newRefreshToken(
    {
      familyId: code.id,
      parentId: null,
      grantId: code.grantId,
      clientId: code.clientId,
      userId: code.userId,
      scopes: code.scopes,
      audience: code.audience,
      authTime: code.authTime,
      authorizationCodeId: code.id,
      dpopJkt: null,
      sid: null,
      amr: null,
    },
    undefined,
  );
  return consume({ code: code.id }, successor);
}

describe("using up a code", () => {
  it("uses each code of a burst once, the same code twice in one burst only once, with one refresh token each", async () => {
    const { issue } = await personAndApp("Burst");
    const codes = await Promise.all(Array.from({ length: 6 }, () => issue()));
    const outcomes = await Promise.all([...codes, codes[0]!].map((code) => redeem(code)));
    expect(outcomes.filter((outcome) => outcome.won)).toHaveLength(codes.length);
    expect(outcomes.filter((outcome) => !outcome.won)).toHaveLength(1);
    for (const code of codes) {
      const stored = await db().authorizationCode.findUnique({ where: { codeHash: hashSecret(code) } });
      expect(stored?.consumedAt).not.toBeNull();
      // Time-ordered (UUID version 7): the code's id is its refresh tokens' family id, appended to that index.
      expect(stored?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      expect(await db().refreshToken.count({ where: { authorizationCodeId: stored!.id } })).toBe(1);
    }
  });

  it("checks the grant in the write itself: a grant revoked after the lookup gets no refresh token, and the code is used up", async () => {
    const { user, client, issue } = await personAndApp("Redeem race");
    expect(await redeem(await issue())).toEqual({ won: true, grantValid: true });

    const code = await issue();
    const raced = await redeem(code, () =>
      db().grant.updateMany({ where: { userId: user.id, clientId: client.id }, data: { revokedAt: new Date() } }),
    );
    expect(raced).toEqual({ won: true, grantValid: false });
    const stored = await db().authorizationCode.findUnique({ where: { codeHash: hashSecret(code) } });
    expect(stored?.consumedAt).not.toBeNull();
    expect(await db().refreshToken.count({ where: { authorizationCodeId: stored!.id } })).toBe(0);
  });

  it("runs alongside the signing, and a signing that fails is the answer while the code stays used", async () => {
    const { issue } = await personAndApp("Alongside");
    const consumedAt = async (code: string) =>
      (await db().authorizationCode.findUnique({ where: { codeHash: hashSecret(code) } }))?.consumedAt ?? null;

    // This signing finishes only once it sees the code used: it would wait forever if it ran before the write.
    const code = await issue();
    const signing = async () => {
      for (let attempt = 0; attempt < 400; attempt += 1) {
        if (await consumedAt(code)) return "signed";
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error("the code was not used while the tokens were signed");
    };
    expect(await alongside(redeem(code), signing())).toEqual([{ won: true, grantValid: true }, "signed"]);

    const failing = await issue();
    await expect(alongside(redeem(failing), Promise.reject(new Error("no signature")))).rejects.toThrow("no signature");
    expect(await consumedAt(failing)).not.toBeNull();
  });
});
