import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUser } from "@/lib/accounts/users";
import { hashSecret } from "@/lib/crypto";
import { db } from "@/lib/db";
import { registerClient } from "@/lib/oauth/clients";
import { findAuthorizationClient, issueAuthorizationCode } from "./authorizations";
import { redeemAuthorizationCode, refreshTokenExpiry } from "./tokens";
import { PORTAL_API_ID } from "@/lib/oauth/apis";

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

/** A person, a public app and a way to issue codes for them. */
async function personAndApp(name: string) {
  const slug = name.toLowerCase().replace(/\W+/g, "-");
  const host = `${slug}.example`;
  const user = await createUser({ email: `${slug}-${randomUUID()}@example.com`, password: "long enough password" });
  const registered = await registerClient({ name, isConfidential: false, redirectUris: [`https://${host}/cb`], scopes: ["openid"] });
  const client = (await findAuthorizationClient(registered.client.id))!;
  const issue = () =>
    issueAuthorizationCode(
      { request: { client, redirectUri: `https://${host}/cb`, redirectUriSent: true, scopes: ["openid"], api: { id: PORTAL_API_ID, identifier: "x" }, prompt: [] }, userId: user.id, authTime: Math.floor(Date.now() / 1000), event: { type: "authorization.approved" } },
      300,
    );
  return { user, client, issue };
}

describe("redeeming a code while its grant is revoked", () => {
  it("redeems each code of a burst once, the same code twice in one burst only once, with one refresh token each", async () => {
    const { client, issue } = await personAndApp("Burst");
    const codes = await Promise.all(Array.from({ length: 6 }, () => issue()));
    const redeem = (code: string) =>
      redeemAuthorizationCode({ code, clientId: client.id, check: () => null, issueRefreshToken: async () => true, event: () => ({ type: "token.issued" }), mint: async (_code, refreshToken) => async () => ({ refreshToken }) });
    const outcomes = await Promise.all([...codes, codes[0]!].map(redeem));
    expect(outcomes.filter((outcome) => outcome.outcome === "redeemed")).toHaveLength(codes.length);
    expect(outcomes.filter((outcome) => outcome.outcome === "reused")).toHaveLength(1);
    for (const code of codes) {
      const stored = await db().authorizationCode.findUnique({ where: { codeHash: hashSecret(code) } });
      expect(stored?.consumedAt).not.toBeNull();
      // Time-ordered (UUID version 7): the code's id is its refresh tokens' family id, appended to that index.
      expect(stored?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      expect(await db().refreshToken.count({ where: { authorizationCodeId: stored!.id } })).toBe(1);
    }
  });

  it("checks the grant again inside the transaction: a grant revoked after the checks gets nothing, and the code is used up", async () => {
    const { user, client, issue } = await personAndApp("Redeem race");
    const redeem = (code: string, afterChecks: () => Promise<unknown>) =>
      redeemAuthorizationCode({
        code,
        clientId: client.id,
        check: () => null,
        issueRefreshToken: async () => true,
        event: () => ({ type: "token.issued" }),
        mint: async (_code, refreshToken) => {
          await afterChecks();
          return async () => ({ refreshToken });
        },
      });

    const untouched = await redeem(await issue(), async () => undefined);
    expect(untouched.outcome).toBe("redeemed");

    const code = await issue();
    const raced = await redeem(code, () => db().grant.updateMany({ where: { userId: user.id, clientId: client.id }, data: { revokedAt: new Date() } }));
    expect(raced).toEqual({ outcome: "refused", reason: "the grant was revoked or the account disabled" });
    const stored = await db().authorizationCode.findUnique({ where: { codeHash: hashSecret(code) } });
    expect(stored?.consumedAt).not.toBeNull();
    expect(await db().refreshToken.count({ where: { authorizationCodeId: stored!.id } })).toBe(0);
  });

  it("signs alongside the transaction that uses up the code, and a signing that fails is the answer while the code stays used", async () => {
    const { client, issue } = await personAndApp("Alongside");
    const consumedAt = async (code: string) => (await db().authorizationCode.findUnique({ where: { codeHash: hashSecret(code) } }))?.consumedAt ?? null;
    const redeem = (code: string, sign: () => Promise<unknown>) =>
      redeemAuthorizationCode({ code, clientId: client.id, check: () => null, issueRefreshToken: async () => true, event: () => ({ type: "token.issued" }), mint: async () => sign });

    // This signing finishes only once it sees the code used: it would wait forever if it ran before the transaction.
    const code = await issue();
    const redeemed = await redeem(code, async () => {
      for (let attempt = 0; attempt < 400; attempt += 1) {
        if (await consumedAt(code)) return "signed";
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error("the code was not used while the tokens were signed");
    });
    expect(redeemed).toEqual({ outcome: "redeemed", tokens: "signed" });

    const failing = await issue();
    await expect(redeem(failing, async () => Promise.reject(new Error("no signature")))).rejects.toThrow("no signature");
    expect(await consumedAt(failing)).not.toBeNull();
  });
});
