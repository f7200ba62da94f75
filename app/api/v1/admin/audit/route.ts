import { auditPage } from "@/lib/api/management";
import { managementRoute, query } from "@/lib/api/management-route";
import { apiJson } from "@/lib/api/with-api-auth";

export const GET = managementRoute("admin.audit", async (request) => apiJson(await auditPage(query(request))));
