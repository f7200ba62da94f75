/** grant_type=client_credentials (RFC 6749 §4.4): a token for the client itself, no user, no refresh token. */
import { resolveRequestedApi } from "@/lib/oauth/apis";
import { OAuthError } from "@/lib/oauth/errors";
import { allowsGrant, type GrantHandler } from "@/lib/oauth/grants/types";
import { formatScope, isAdminScope, parseScope } from "@/lib/oauth/scopes";
import { findUserById } from "@/lib/accounts/users";
import { queueEvent } from "@/lib/events";
import { issueAccessToken } from "@/lib/oauth/tokens";

export const clientCredentialsGrant: GrantHandler = async ({ client, params, ip, dpopJkt }) => {
  if (!client.isConfidential || !allowsGrant(client, "client_credentials")) {
    throw new OAuthError("unauthorized_client", "This client is not allowed the client credentials grant");
  }
  const api = await resolveRequestedApi({ resource: params.get("resource"), audience: params.get("audience") });
  // The app's scopes that this API defines, except those that need a person.
  const defined = parseScope(client.scopes).filter((scope) => {
    const kind = api.scopes.get(scope)?.tokenKind;
    return kind !== undefined && kind !== "user";
  });
  // The management API's scopes go only to apps an admin owns (looked up only for apps that list them).
  const adminOwned = api.isPortal && defined.some(isAdminScope) ? (await findUserById(client.ownerId ?? ""))?.isAdmin === true : false;
  const usable = defined.filter((scope) => !api.isPortal || !isAdminScope(scope) || adminOwned);
  const requested = params.has("scope") ? parseScope(params.get("scope")) : usable;
  const refused = requested.find((scope) => !usable.includes(scope));
  if (refused) throw new OAuthError("invalid_scope", `The client may not request the scope ${refused} from ${api.identifier} with client credentials`);

  const accessToken = await issueAccessToken({ subject: client.id, clientId: client.id, scopes: requested, audience: api.identifier, lifetimeSeconds: client.accessTokenTtl ?? api.accessTokenTtl, dpopJkt });
  queueEvent({ type: "token.issued", clientId: client.id, scopes: requested, ip, details: { grantType: "client_credentials", audience: api.identifier } });
  return { access_token: accessToken.token, token_type: dpopJkt ? "DPoP" : "Bearer", expires_in: accessToken.expiresIn, scope: formatScope(requested) };
};
