/** grant_type=client_credentials (RFC 6749 §4.4): a token for the client itself, no user, no refresh token. */
import { resolveRequestedApi } from "@/lib/oauth/apis";
import { machineAccess } from "@/lib/oauth/client-grants";
import { allowsGrant } from "@/lib/oauth/clients";
import { OAuthError } from "@/lib/oauth/errors";
import type { GrantHandler } from "@/lib/oauth/grants/types";
import { formatScope, parseScope } from "@/lib/oauth/scopes";
import { queueEvent } from "@/lib/events";
import { issueAccessToken } from "@/lib/oauth/tokens";

export const clientCredentialsGrant: GrantHandler = async ({ client, params, ip, dpopJkt }) => {
  if (!client.isConfidential || !allowsGrant(client, "client_credentials")) {
    throw new OAuthError("unauthorized_client", "This client is not allowed the client credentials grant");
  }
  const api = await resolveRequestedApi({ resource: params.get("resource"), audience: params.get("audience") });
  // Nobody consents to this token: what it carries is what the API's side granted the app (lib/oauth/client-grants.ts).
  const access = await machineAccess(client.id, api);
  const requested = params.has("scope") ? parseScope(params.get("scope")) : "scopes" in access ? access.scopes : [];
  if ("refused" in access) {
    // A token for the portal's own API with no scope opens nothing (every /api/v1 route without a scope acts for a person), so it needs no grant.
    if (!(api.isPortal && requested.length === 0)) {
      throw new OAuthError("unauthorized_client", `This app is not authorized for ${api.identifier} with client credentials`, {
        reason: access.refused,
      });
    }
  } else {
    const refused = requested.find((scope) => !access.scopes.includes(scope));
    if (refused) {
      throw new OAuthError(
        "invalid_scope",
        `The client may not request the scope ${refused} from ${api.identifier} with client credentials`,
        {
          reason: `the client grant for ${api.identifier} holds ${access.scopes.join(" ") || "no scope"}, not ${refused}`,
        },
      );
    }
  }

  const accessToken = await issueAccessToken({
    subject: client.id,
    clientId: client.id,
    scopes: requested,
    audience: api.identifier,
    lifetimeSeconds: client.accessTokenTtl ?? api.accessTokenTtl,
    dpopJkt,
  });
  queueEvent({
    type: "token.issued",
    clientId: client.id,
    scopes: requested,
    ip,
    details: { grantType: "client_credentials", audience: api.identifier },
  });
  return {
    access_token: accessToken.token,
    token_type: dpopJkt ? "DPoP" : "Bearer",
    expires_in: accessToken.expiresIn,
    scope: formatScope(requested),
  };
};
