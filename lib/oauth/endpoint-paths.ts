/**
 * Where each protocol endpoint lives. Discovery, client-assertion audiences,
 * DPoP proofs and the screens that link to an endpoint read the path here;
 * each is an app/<path>/route.ts (endpoint-paths.test.ts), and the fast path
 * finds those route files itself (lib/protocol-routes.ts).
 */
import { getConfig } from "@/lib/config";

export const ENDPOINT_PATHS = {
  authorization: "/oauth/authorize",
  token: "/oauth/token",
  userinfo: "/oauth/userinfo",
  revocation: "/oauth/revoke",
  introspection: "/oauth/introspect",
  end_session: "/oauth/logout",
  pushed_authorization_request: "/oauth/par",
  device_authorization: "/oauth/device_authorization",
  registration: "/oauth/register",
  jwks: "/.well-known/jwks.json",
} as const;

export type EndpointName = keyof typeof ENDPOINT_PATHS;

/** The endpoint's absolute URL under this portal's issuer. */
export function endpointUrl(name: EndpointName): string {
  return `${getConfig().issuer}${ENDPOINT_PATHS[name]}`;
}
