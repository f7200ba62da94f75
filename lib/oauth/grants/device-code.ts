/** grant_type=urn:ietf:params:oauth:grant-type:device_code (RFC 8628 §3.4, §3.5): the device polls until the person answers. */
import { findUserById } from "@/lib/accounts/users";
import { timeOrderedId } from "@/lib/crypto";
import { allowsGrant, DEVICE_CODE_GRANT } from "@/lib/oauth/clients";
import { OAuthError } from "@/lib/oauth/errors";
import type { GrantHandler } from "@/lib/oauth/grants/types";
import { issuedApi, issueUserTokens } from "@/lib/oauth/grants/user-tokens";
import { parseScope } from "@/lib/oauth/scopes";
import { pollDevice } from "@/lib/oauth/store/devices";

export const deviceCodeGrant: GrantHandler = async ({ client, params, ip, dpopJkt }) => {
  if (!allowsGrant(client, DEVICE_CODE_GRANT))
    throw new OAuthError("unauthorized_client", "This client is not allowed the device authorization grant");
  const deviceCode = params.get("device_code");
  if (!deviceCode) throw new OAuthError("invalid_request", "device_code is required");
  const poll = await pollDevice(deviceCode);
  // Another client's device code is treated as unknown.
  if (!poll || poll.row.clientId !== client.id) throw new OAuthError("invalid_grant", "The device code is invalid");
  const { row } = poll;
  if (row.consumedAt) throw new OAuthError("invalid_grant", "The device code was already used");
  if (row.expiresAt <= new Date()) throw new OAuthError("expired_token", "The device code expired; start again");
  if (row.status === "denied") throw new OAuthError("access_denied", "The person denied the request");
  if (poll.tooSoon) throw new OAuthError("slow_down", `Poll at most every ${row.interval} seconds`);
  if (row.status !== "approved") throw new OAuthError("authorization_pending", "The person has not answered yet");

  const user = row.userId ? await findUserById(row.userId) : null;
  if (!user || !row.grantId) throw new OAuthError("invalid_grant", "The authorization was revoked");
  const scopes = parseScope(row.scopes);
  const issued = await issueUserTokens({
    client,
    uses: { deviceCodeHash: row.deviceCodeHash },
    user,
    grantId: row.grantId,
    scopes,
    api: await issuedApi(row.audience, params),
    authTime: row.authTime ?? row.createdAt,
    // One family per device authorization: revoking its refresh token ends its access tokens too.
    family: { id: timeOrderedId(), scopes: row.scopes, audience: row.audience },
    dpopJkt,
    event: { type: "token.issued", ip, details: { grantType: "device_code" } },
  });
  if (issued.outcome === "lost") throw new OAuthError("invalid_grant", "The device code was already used");
  if (issued.outcome === "refused") throw new OAuthError("invalid_grant", "The authorization was revoked", { reason: issued.reason });
  return issued.tokens;
};
