/** The management API's routes: the admin scope, the owning admin as actor, JSON bodies, and refusals as JSON errors. */
import { actorOf, managed, ManagementError } from "@/lib/api/management";
import { apiJson, withApiAuth, type Principal } from "@/lib/api/with-api-auth";
import type { User } from "@/lib/generated/prisma/client";
import type { Answer, ProtocolRequest } from "@/lib/protocol-http";

type Params = { params: Promise<Record<string, string | string[]>> };

export function managementRoute(
  scope: "admin.apps" | "admin.users" | "admin.audit",
  handler: (request: ProtocolRequest, actor: User, params: Record<string, string>, principal: Principal) => Promise<Answer>,
) {
  return withApiAuth<Params>({ scopes: [scope] }, async (request, principal, context) => {
    try {
      const actor = await actorOf(principal, scope);
      const params = Object.fromEntries(Object.entries((await context?.params) ?? {}).map(([name, value]) => [name, String(value)]));
      return await managed(() => handler(request, actor, params, principal));
    } catch (error) {
      if (error instanceof ManagementError) return apiJson({ error: error.code, error_description: error.message }, { status: error.status });
      throw error;
    }
  });
}

/** The request's JSON object body. */
export async function jsonBody(request: ProtocolRequest): Promise<unknown> {
  try {
    const body = JSON.parse(await request.text()) as unknown;
    if (typeof body === "object" && body !== null && !Array.isArray(body)) return body;
  } catch {
    // answered below
  }
  throw new ManagementError(400, "invalid_request", "Send a JSON object as the body");
}

export function query(request: ProtocolRequest): URLSearchParams {
  return new URL(request.url).searchParams;
}
