import { apiJson, withApiAuth } from "@/lib/api/with-api-auth";
import { grantTypesOf } from "@/lib/oauth/clients";
import { parseScope } from "@/lib/oauth/scopes";
import { listClientsOwnedBy } from "@/lib/oauth/store/clients";

/** The apps the person registered. */
export const GET = withApiAuth({ scopes: ["apps.read"], requireUser: true }, async (_request, principal) => {
  const clients = await listClientsOwnedBy(principal.userId!);
  return apiJson({
    apps: clients.map((client) => ({
      client_id: client.id,
      name: client.name,
      logo_url: client.logoUrl,
      type: client.isConfidential ? "confidential" : "public",
      grant_types: grantTypesOf(client),
      scopes: parseScope(client.scopes),
      redirect_uris: client.redirectUris.map((redirect) => redirect.uri),
      disabled: client.disabledAt !== null,
      created_at: client.createdAt.toISOString(),
    })),
  });
});
