import { inviteUser, listUsers } from "@/lib/api/management";
import { managementRoute, query } from "@/lib/api/management-route";
import { apiJson } from "@/lib/api/with-api-auth";
import { readJsonObject } from "@/lib/oauth/endpoint";

export const GET = managementRoute("admin.users", async (request) => apiJson(await listUsers(query(request))));

export const POST = managementRoute("admin.users", async (request, actor) =>
  apiJson(await inviteUser(await readJsonObject(request), actor), { status: 201 }),
);
