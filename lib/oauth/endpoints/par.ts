import { pushAuthorizationRequest } from "@/lib/oauth/authorize";
import { appRequest, endpoint } from "@/lib/oauth/endpoint";
import { jsonAnswer } from "@/lib/protocol-http";

/** The client's credentials authenticate the push; they are not part of the authorization request. */
const CLIENT_AUTHENTICATION = new Set(["client_secret", "client_assertion", "client_assertion_type"]);

export const parEndpoint = endpoint(async (request) => {
  const { params: body, client } = await appRequest(request, "pushed_authorization_request");
  const params = new URLSearchParams([...body].filter(([name]) => !CLIENT_AUTHENTICATION.has(name)));
  params.set("client_id", client.id);
  return jsonAnswer(await pushAuthorizationRequest(params, client.id), { status: 201 });
});
