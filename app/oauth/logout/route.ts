import { clientIp } from "@/lib/auth/client-ip";
import { readForm } from "@/lib/auth/form-response";
import { currentViewer, endSession } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { readEndSessionRequest, signedOut } from "@/lib/oauth/logout";

function redirect(location: string): Response {
  return new Response(null, {
    status: 303,
    headers: { Location: new URL(location, getConfig().issuer).toString(), "Cache-Control": "no-store" },
  });
}

/**
 * The end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0), GET or
 * POST. A request that certainly comes from the app (a valid id_token_hint for
 * the person signed in) signs out at once; any other is asked on /logout.
 */
async function endSessionRequest(request: Request, params: URLSearchParams): Promise<Response> {
  const viewer = await currentViewer();
  const outcome = await readEndSessionRequest(params, viewer?.userId ?? null);
  if ("problem" in outcome || !outcome.certain) return redirect(`/logout?${params}`);
  if (viewer) {
    await endSession();
    await signedOut(viewer.userId, { ip: clientIp(request.headers), sid: viewer.sid });
  }
  return redirect(outcome.redirectTo ?? "/logout/done");
}

export async function GET(request: Request) {
  return endSessionRequest(request, new URL(request.url).searchParams);
}

export async function POST(request: Request) {
  const form = await readForm(request);
  const params = new URLSearchParams();
  for (const [name, value] of form?.entries() ?? []) if (typeof value === "string") params.append(name, value);
  return endSessionRequest(request, params);
}
