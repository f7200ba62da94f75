import { getApp, updateApp } from "@/lib/api/management";
import { managementRoute } from "@/lib/api/management-route";
import { apiJson } from "@/lib/api/with-api-auth";
import { readJsonObject } from "@/lib/oauth/endpoint";

export const GET = managementRoute("admin.apps", async (_request, _actor, params) => apiJson(await getApp(params.clientId!)));

export const PATCH = managementRoute("admin.apps", async (request, actor, params) =>
  apiJson(await updateApp(params.clientId!, await readJsonObject(request), actor)),
);
