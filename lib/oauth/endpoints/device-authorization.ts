/** POST /oauth/device_authorization (RFC 8628 §3.1, §3.2). */
import { authenticateClient } from "@/lib/oauth/client-auth";
import { startDeviceAuthorization } from "@/lib/oauth/device";
import { endpoint, readBodyParams } from "@/lib/oauth/endpoint";
import { jsonAnswer } from "@/lib/protocol-http";

export const deviceAuthorizationEndpoint = endpoint(async (request) => {
  const params = await readBodyParams(request);
  const { client } = await authenticateClient(request.headers, params, "device_authorization");
  return jsonAnswer(await startDeviceAuthorization(client, params));
});
