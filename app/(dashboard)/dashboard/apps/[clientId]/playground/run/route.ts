import { currentUser } from "@/lib/auth/session";
import { getConfig } from "@/lib/config";
import { plainTextResponse } from "@/lib/auth/form-response";
import { startPlaygroundRun } from "@/lib/oauth/playground-console";
import { findClient } from "@/lib/oauth/store/clients";

/** "Run": a new authorization request for the app, coming back to its playground (the owner's only). */
export async function GET(request: Request, { params }: { params: Promise<{ clientId: string }> }) {
  const { clientId } = await params;
  const user = await currentUser();
  if (!user)
    return Response.redirect(`${getConfig().issuer}/sign-in?returnTo=${encodeURIComponent(`/dashboard/apps/${clientId}/playground`)}`, 303);
  const client = await findClient(clientId);
  if (!client || client.ownerId !== user.id) return plainTextResponse(404, "This app does not exist or is not yours.");
  const query = new URL(request.url).searchParams;
  const location = await startPlaygroundRun(client, {
    scope: query.getAll("scope").join(" "),
    audience: query.get("audience") || undefined,
    prompt: query.get("prompt") || undefined,
  });
  return new Response(null, { status: 303, headers: { Location: location, "Cache-Control": "no-store" } });
}
