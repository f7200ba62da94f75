import { inviteUser, listUsers } from "@/lib/api/management";
import { jsonBody, managementRoute, query } from "@/lib/api/management-route";
import { apiJson } from "@/lib/api/with-api-auth";

export const GET = managementRoute("admin.users", async (request) => apiJson(await listUsers(query(request))));

export const POST = managementRoute("admin.users", async (request, actor) => apiJson(await inviteUser(await jsonBody(request), actor), { status: 201 }));
