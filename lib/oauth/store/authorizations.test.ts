import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUser } from "@/lib/accounts/users";
import { db } from "@/lib/db";
import { registerClient } from "@/lib/oauth/clients";
import { parseScope } from "@/lib/oauth/scopes";
import { findAuthorizationClient, issueAuthorizationCode } from "./authorizations";
import { PORTAL_API_ID } from "@/lib/oauth/apis";

describe("issueAuthorizationCode under concurrency", () => {
  it("keeps one active grant per person and app and loses no consented scope", async () => {
    const user = await createUser({ email: `grant-${randomUUID()}@example.com`, password: "long enough password" });
    const registered = await registerClient({
      name: "Race",
      isConfidential: false,
      redirectUris: ["https://race.example/cb"],
      scopes: ["openid", "profile", "email", "offline_access"],
    });
    const client = (await findAuthorizationClient(registered.client.id))!;
    const scopeSets = [["openid"], ["profile"], ["email"], ["offline_access"], ["openid", "email"], ["profile", "offline_access"]];
    await Promise.all(
      Array.from({ length: 18 }, (_, i) =>
        issueAuthorizationCode(
          {
            request: {
              client,
              redirectUri: "https://race.example/cb",
              redirectUriSent: true,
              scopes: scopeSets[i % scopeSets.length]!,
              api: { id: PORTAL_API_ID, identifier: "x" },
              prompt: [],
            },
            userId: user.id,
            authTime: Math.floor(Date.now() / 1000),
            event: { type: "authorization.approved" },
          },
          300,
        ),
      ),
    );
    const grants = await db().grant.findMany({ where: { userId: user.id, clientId: client.id, revokedAt: null } });
    expect(grants).toHaveLength(1);
    expect(parseScope(grants[0]!.scopes).sort()).toEqual(["email", "offline_access", "openid", "profile"]);
    expect(await db().authorizationCode.count({ where: { grantId: grants[0]!.id } })).toBe(18);
  });
});
