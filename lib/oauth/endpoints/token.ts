/** POST /oauth/token (RFC 6749 §3.2): authenticate the client, then one handler per grant type. */
import { clientIp } from "@/lib/auth/client-ip";
import { metrics } from "@/lib/metrics";
import { appRequest, corsPreflight, endpoint } from "@/lib/oauth/endpoint";
import { OAuthError } from "@/lib/oauth/errors";
import { authorizationCodeGrant } from "@/lib/oauth/grants/authorization-code";
import { clientCredentialsGrant } from "@/lib/oauth/grants/client-credentials";
import { deviceCodeGrant } from "@/lib/oauth/grants/device-code";
import { DEVICE_CODE_GRANT } from "@/lib/oauth/clients";
import { refreshTokenGrant } from "@/lib/oauth/grants/refresh-token";
import type { GrantHandler } from "@/lib/oauth/grants/types";
import { jsonAnswer } from "@/lib/protocol-http";
import { dpopKeyOf, DpopProofError } from "@/lib/oauth/dpop";
import { endpointUrl } from "@/lib/oauth/endpoint-paths";

const GRANTS: Record<string, GrantHandler> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
  [DEVICE_CODE_GRANT]: deviceCodeGrant,
};

export const tokenEndpoint = endpoint(
  async (request) => {
    const { params, client } = await appRequest(request, "token");
    const grantType = params.get("grant_type");
    if (!grantType) throw new OAuthError("invalid_request", "grant_type is required");
    const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
    if (!grant) throw new OAuthError("unsupported_grant_type", `Supported grant types: ${Object.keys(GRANTS).join(", ")}`);
    const dpopJkt = await dpopKeyOf(request.headers, { method: "POST", url: endpointUrl("token") });
    if (client.requireDpop && !dpopJkt) throw new DpopProofError("This app must send a DPoP proof (RFC 9449)");
    const tokens = await grant({ client, params, ip: clientIp(request.headers), dpopJkt });
    metrics().tokensIssued.inc({ grant_type: grantType });
    return jsonAnswer(tokens);
  },
  { cors: true },
);

export const tokenPreflight = corsPreflight("POST");
