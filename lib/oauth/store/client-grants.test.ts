import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUser } from "@/lib/accounts/users";
import { db } from "@/lib/db";
import { PORTAL_API_ID } from "@/lib/oauth/apis";
import { registerClient } from "@/lib/oauth/clients";
import { saveClientGrant } from "./client-grants";

describe("saveClientGrant", () => {
  it("gives an app one grant per API when the same grant is saved many times at once (the last one stands)", async () => {
    const admin = await createUser({ email: `giver-${randomUUID()}@example.com`, password: "long enough password", isAdmin: true });
    const { client } = await registerClient({ name: "Machine", isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
    const saves = Array.from({ length: 12 }, (_, index) =>
      saveClientGrant({
        apiId: PORTAL_API_ID,
        clientId: client.id,
        scopes: index % 2 ? "admin.apps" : "admin.users",
        grantedById: admin.id,
      }),
    );
    await expect(Promise.all(saves)).resolves.toHaveLength(12);
    const rows = await db().clientGrant.findMany({ where: { clientId: client.id, apiId: PORTAL_API_ID } });
    expect(rows).toHaveLength(1);
    expect(["admin.apps", "admin.users"]).toContain(rows[0]!.scopes);
  });
});
