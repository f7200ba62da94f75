import { createApp, listApps } from "@/lib/api/management";
import { jsonBody, managementRoute, query } from "@/lib/api/management-route";
import { apiJson } from "@/lib/api/with-api-auth";

export const GET = managementRoute("admin.apps", async (request) => apiJson(await listApps(query(request))));

export const POST = managementRoute("admin.apps", async (request) => apiJson(await createApp(await jsonBody(request)), { status: 201 }));
