/** grant_type=client_credentials (RFC 6749 §4.4): a token for the client itself, no user, no refresh token. */
import { registeredAudiences, resolveAudience } from "@/lib/oauth/audiences";
import { OAuthError } from "@/lib/oauth/errors";
import { allowsGrant, type GrantHandler } from "@/lib/oauth/grants/types";
import { formatScope, parseScope, scopeKinds } from "@/lib/oauth/scopes";
import { queueEvent } from "@/lib/events";
import { issueAccessToken } from "@/lib/oauth/tokens";

export const clientCredentialsGrant: GrantHandler = async ({ client, params, ip }) => {
  if (!client.isConfidential || !allowsGrant(client, "client_credentials")) {
    throw new OAuthError("unauthorized_client", "This client is not allowed the client credentials grant");
  }
  const kinds = await scopeKinds(parseScope(client.scopes));
  // Scopes that need a person cannot be granted to a client acting for itself.
  const usable = parseScope(client.scopes).filter((scope) => kinds.has(scope) && kinds.get(scope) !== "user");
  const requested = params.has("scope") ? parseScope(params.get("scope")) : usable;
  const refused = requested.find((scope) => !usable.includes(scope));
  if (refused) throw new OAuthError("invalid_scope", `The client may not request the scope ${refused} with client credentials`);
  const audience = resolveAudience({ resource: params.get("resource"), audience: params.get("audience") }, registeredAudiences());

  const accessToken = await issueAccessToken({ subject: client.id, clientId: client.id, scopes: requested, audience });
  queueEvent({ type: "token.issued", clientId: client.id, scopes: requested, ip, details: { grantType: "client_credentials" } });
  return { access_token: accessToken.token, token_type: "Bearer", expires_in: accessToken.expiresIn, scope: formatScope(requested) };
};
