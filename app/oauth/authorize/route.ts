import { clientIp } from "@/lib/auth/client-ip";
import { readForm } from "@/lib/auth/form-response";
import { currentViewer } from "@/lib/auth/session";
import { startAuthorization } from "@/lib/oauth/authorize";
import { authorizeResponse } from "@/lib/oauth/authorize-response";
import { endpointUrl } from "@/lib/oauth/endpoint-paths";

// RFC 6749 §3.1: the authorization endpoint must support GET and may support
// POST; OpenID Connect Core §3.1.2.1 asks for both.
export async function GET(request: Request) {
  const outcome = await startAuthorization(new URL(request.url).searchParams, await currentViewer(), clientIp(request.headers));
  return authorizeResponse(outcome, "GET");
}

export async function POST(request: Request) {
  const form = await readForm(request);
  const params = new URLSearchParams();
  for (const [name, value] of form?.entries() ?? []) if (typeof value === "string") params.append(name, value);
  const viewer = await currentViewer();
  // A POST from the app's site comes without the SameSite=Lax session cookie; the same request as a
  // top-level GET carries it, so prompt=none and remembered consent work over POST too.
  if (!viewer)
    return new Response(null, {
      status: 303,
      headers: { Location: `${endpointUrl("authorization")}?${params}`, "Cache-Control": "no-store" },
    });
  const outcome = await startAuthorization(params, viewer, clientIp(request.headers));
  return authorizeResponse(outcome, "POST");
}
