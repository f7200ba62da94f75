import { startDeviceAuthorization } from "@/lib/oauth/device";
import { appRequest, endpoint } from "@/lib/oauth/endpoint";
import { jsonAnswer } from "@/lib/protocol-http";

export const deviceAuthorizationEndpoint = endpoint(async (request) => {
  const { params, client } = await appRequest(request, "device_authorization");
  return jsonAnswer(await startDeviceAuthorization(client, params));
});
