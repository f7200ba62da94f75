import { listAppGrants } from "@/lib/api/management";
import { managementRoute } from "@/lib/api/management-route";
import { apiJson } from "@/lib/api/with-api-auth";

export const GET = managementRoute("admin.apps", async (_request, _actor, params) => apiJson(await listAppGrants(params.clientId!)));
