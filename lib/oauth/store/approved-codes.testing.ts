/** For the store's tests: a person, a public app, and codes issued to them as an approved request would be. */
import { randomUUID } from "node:crypto";
import { createUser } from "@/lib/accounts/users";
import { PORTAL_API_ID } from "@/lib/oauth/apis";
import { registerClient } from "@/lib/oauth/clients";
import { findAuthorizationClient, issueAuthorizationCode } from "./authorizations";

export async function personAndApp(name: string, scopes: string[] = ["openid"]) {
  const slug = name.toLowerCase().replace(/\W+/g, "-");
  const redirectUri = `https://${slug}.example/cb`;
  const user = await createUser({ email: `${slug}-${randomUUID()}@example.com`, password: "long enough password" });
  const registered = await registerClient({ name, isConfidential: false, redirectUris: [redirectUri], scopes });
  const client = (await findAuthorizationClient(registered.client.id))!;
  /** A code for `granted` (the first of the app's scopes unless told), recording the consent as the consent screen would. */
  const issue = (granted: string[] = scopes.slice(0, 1)) =>
    issueAuthorizationCode(
      {
        request: { client, redirectUri, redirectUriSent: true, scopes: granted, api: { id: PORTAL_API_ID, identifier: "x" }, prompt: [] },
        userId: user.id,
        authTime: Math.floor(Date.now() / 1000),
        event: { type: "authorization.approved" },
      },
      300,
    );
  return { user, client, issue };
}
