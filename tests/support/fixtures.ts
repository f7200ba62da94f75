/** Test data written straight through the portal's own services, against the test server's database. */
import { randomUUID } from "node:crypto";
import { createUser } from "@/lib/accounts/users";

export async function newUser(overrides: { password?: string; name?: string } = {}) {
  const email = `person-${randomUUID()}@example.com`;
  const password = overrides.password ?? `pw-${randomUUID()}`;
  const user = await createUser({ email, password, name: overrides.name ?? "Test Person" });
  return { user, email, password };
}
