import { apiJson, withApiAuth } from "@/lib/api/with-api-auth";
import { listConnections } from "@/lib/accounts/connections";
import { parseScope } from "@/lib/oauth/scopes";

/** The apps the person has authorized, one entry per app and API, with the scopes granted to each. */
export const GET = withApiAuth({ scopes: ["connections.read"], requireUser: true }, async (_request, principal) => {
  const grants = await listConnections(principal.userId!);
  return apiJson({
    connections: grants.map((grant) => ({
      client_id: grant.client.id,
      name: grant.client.name,
      logo_url: grant.client.logoUrl,
      audience: grant.api.identifier,
      scopes: parseScope(grant.scopes),
      authorized_at: grant.createdAt.toISOString(),
      updated_at: grant.updatedAt.toISOString(),
    })),
  });
});
