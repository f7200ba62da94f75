/** Test data written straight through the portal's own services, against the test server's database. */
import { randomUUID } from "node:crypto";
import { createUser } from "@/lib/accounts/users";
import { randomToken } from "@/lib/crypto";
import { db } from "@/lib/db";
import { registerApi, type NewApi } from "@/lib/oauth/apis";
import { registerClient, type NewClient } from "@/lib/oauth/clients";
import { s256Challenge } from "@/lib/oauth/pkce";

export async function newUser(overrides: { password?: string; name?: string } = {}) {
  const email = `person-${randomUUID()}@example.com`;
  const password = overrides.password ?? `pw-${randomUUID()}`;
  const user = await createUser({ email, password, name: overrides.name ?? "Test Person" });
  return { user, email, password };
}

/** A registered app with a unique redirect URI; public (PKCE, no secret) unless told otherwise. */
export async function newClient(overrides: Partial<NewClient> & { disabled?: boolean } = {}) {
  const { disabled, ...input } = overrides;
  const redirectUri = `https://app-${randomUUID()}.example/callback`;
  const registered = await registerClient({
    name: "Test App",
    isConfidential: false,
    redirectUris: [redirectUri],
    scopes: ["openid", "profile", "email", "offline_access"],
    ...input,
  });
  if (disabled) await db().client.update({ where: { id: registered.client.id }, data: { disabledAt: new Date() } });
  return {
    clientId: registered.client.id,
    redirectUri: registered.redirectUris[0] ?? redirectUri,
    clientSecret: registered.clientSecret,
    client: registered.client,
  };
}

/** A registered API with a unique identifier and the scopes given (name → sentence), owned by nobody unless told. */
export async function newApi(overrides: Partial<NewApi> & { ownerId?: string } = {}) {
  const { ownerId, ...input } = overrides;
  return registerApi(
    {
      name: "Test API",
      identifier: `https://api-${randomUUID()}.example`,
      scopes: [{ name: "read", description: "Read your things" }],
      ...input,
    },
    ownerId ?? null,
  );
}

export function pkcePair() {
  const verifier = randomToken(32);
  return { verifier, challenge: s256Challenge(verifier) };
}
