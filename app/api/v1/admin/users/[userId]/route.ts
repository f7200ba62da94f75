import { getUser, removePerson, updatePerson } from "@/lib/api/management";
import { managementRoute } from "@/lib/api/management-route";
import { apiJson } from "@/lib/api/with-api-auth";
import { readJsonObject } from "@/lib/oauth/endpoint";

export const GET = managementRoute("admin.users", async (_request, _actor, params) => apiJson(await getUser(params.userId!)));

export const PATCH = managementRoute("admin.users", async (request, actor, params) =>
  apiJson(await updatePerson(params.userId!, await readJsonObject(request), actor)),
);

export const DELETE = managementRoute("admin.users", async (_request, actor, params) => {
  await removePerson(params.userId!, actor);
  return { status: 204, headers: { "Cache-Control": "no-store" }, body: "" };
});
