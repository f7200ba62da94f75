import { deleteAppGrant, putAppGrant } from "@/lib/api/management";
import { managementRoute } from "@/lib/api/management-route";
import { apiJson } from "@/lib/api/with-api-auth";
import { readJsonObject } from "@/lib/oauth/endpoint";

export const PUT = managementRoute("admin.apps", async (request, actor, params, principal) =>
  apiJson(await putAppGrant(params.clientId!, params.apiId!, await readJsonObject(request), actor, principal)),
);

export const DELETE = managementRoute("admin.apps", async (_request, actor, params) => {
  await deleteAppGrant(params.clientId!, params.apiId!, actor);
  return { status: 204, headers: { "Cache-Control": "no-store" }, body: "" };
});
