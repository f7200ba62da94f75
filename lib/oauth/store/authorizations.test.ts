import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { parseScope } from "@/lib/oauth/scopes";
import { personAndApp } from "./approved-codes.testing";

describe("issueAuthorizationCode under concurrency", () => {
  it("keeps one active grant per person and app and loses no consented scope", async () => {
    const { user, client, issue } = await personAndApp("Race", ["openid", "profile", "email", "offline_access"]);
    const scopeSets = [["openid"], ["profile"], ["email"], ["offline_access"], ["openid", "email"], ["profile", "offline_access"]];
    await Promise.all(Array.from({ length: 18 }, (_, i) => issue(scopeSets[i % scopeSets.length]!)));
    const grants = await db().grant.findMany({ where: { userId: user.id, clientId: client.id, revokedAt: null } });
    expect(grants).toHaveLength(1);
    expect(parseScope(grants[0]!.scopes).sort()).toEqual(["email", "offline_access", "openid", "profile"]);
    expect(await db().authorizationCode.count({ where: { grantId: grants[0]!.id } })).toBe(18);
  });
});
