/** Fixtures for unit tests of lib/, against the throw-away unit-test database. */
import { db } from "@/lib/db";

/** Makes sure a client with this id exists (tokens of unknown or disabled clients do not verify). */
export async function ensureClient(id: string, data: { disabledAt?: Date | null } = {}) {
  await db().client.upsert({
    where: { id },
    create: { id, name: `Client ${id}`, isConfidential: false, grantTypes: "authorization_code refresh_token", scopes: "", ...data },
    update: data,
  });
}
