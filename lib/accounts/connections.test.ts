import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { portalApiAudience } from "@/lib/oauth/apis";
import { issueAccessToken, verifyAccessToken } from "@/lib/oauth/tokens";
import { ensureClient } from "@/tests/support/unit-fixtures";
import { createUser } from "./users";
import { listConnections, revokeConnection } from "./connections";

beforeAll(() => ensureClient("connected-app"));

describe("revokeConnection", () => {
  it("ends the grant, its refresh tokens and its access tokens, and the app leaves the list", async () => {
    const user = await createUser({ email: `conn-${Date.now()}@example.com`, password: "a long enough password" });
    const grant = await db().grant.create({
      data: { id: `grant-${Date.now()}`, userId: user.id, clientId: "connected-app", scopes: "openid email" },
    });
    await db().refreshToken.create({
      data: {
        id: `rt-${Date.now()}`,
        tokenHash: `hash-${Date.now()}`,
        familyId: "fam",
        grantId: grant.id,
        clientId: "connected-app",
        userId: user.id,
        scopes: "openid",
        expiresAt: new Date(Date.now() + 60_000),
      },
    });
    const access = await issueAccessToken({
      subject: user.id,
      clientId: "connected-app",
      scopes: ["openid"],
      audience: portalApiAudience(),
      authTime: 1,
      grantId: grant.id,
      familyId: "fam",
    });
    expect(await verifyAccessToken(access.token)).not.toBeNull();
    expect((await listConnections(user.id)).map((connection) => connection.client.id)).toEqual(["connected-app"]);

    expect(await revokeConnection(user.id, "connected-app")).toBe(1);
    expect(await verifyAccessToken(access.token)).toBeNull();
    expect(await db().refreshToken.count({ where: { grantId: grant.id, revokedAt: null } })).toBe(0);
    expect(await listConnections(user.id)).toEqual([]);
    expect(await db().auditEvent.count({ where: { type: "grant.revoked", grantId: grant.id } })).toBe(1);
    expect(await revokeConnection(user.id, "connected-app")).toBe(0);
  });
});
