/** The management API's routes: the admin scope, the owning admin as actor, JSON bodies, and refusals as problem details. */
import { actorOf } from "@/lib/api/management";
import { withApiAuth, type Principal } from "@/lib/api/with-api-auth";
import type { User } from "@/lib/generated/prisma/client";
import type { Answer, ProtocolRequest } from "@/lib/protocol-http";

type Params = { params: Promise<Record<string, string | string[]>> };

export function managementRoute(
  scope: "admin.apps" | "admin.users" | "admin.audit",
  handler: (request: ProtocolRequest, actor: User, params: Record<string, string>, principal: Principal) => Promise<Answer>,
) {
  return withApiAuth<Params>({ scopes: [scope] }, async (request, principal, context) => {
    const actor = await actorOf(principal, scope);
    const params = Object.fromEntries(Object.entries((await context?.params) ?? {}).map(([name, value]) => [name, String(value)]));
    return handler(request, actor, params, principal);
  });
}

export function query(request: ProtocolRequest): URLSearchParams {
  return new URL(request.url).searchParams;
}
