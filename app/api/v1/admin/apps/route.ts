import { createApp, listApps } from "@/lib/api/management";
import { managementRoute, query } from "@/lib/api/management-route";
import { apiJson } from "@/lib/api/with-api-auth";
import { readJsonObject } from "@/lib/oauth/endpoint";

export const GET = managementRoute("admin.apps", async (request) => apiJson(await listApps(query(request))));

export const POST = managementRoute("admin.apps", async (request) =>
  apiJson(await createApp(await readJsonObject(request)), { status: 201 }),
);
