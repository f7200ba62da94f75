import { clientIp } from "@/lib/auth/client-ip";
import { currentViewer } from "@/lib/auth/session";
import { resumeAuthorization } from "@/lib/oauth/authorize";
import { authorizeResponse } from "@/lib/oauth/authorize-response";

/** Where sign-in hands a pending authorization request back. */
export async function GET(request: Request) {
  const handle = new URL(request.url).searchParams.get("request") ?? "";
  const outcome = await resumeAuthorization(handle, await currentViewer(), clientIp(request.headers));
  return authorizeResponse(outcome, "GET");
}
