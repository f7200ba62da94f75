import { z } from "zod";
import { verifyCsrfToken } from "@/lib/auth/csrf";
import { plainTextResponse } from "@/lib/auth/form-response";
import { changeRefusal, FACTOR_CHANGE } from "@/lib/auth/guards";
import { passkeyRegistrationOptions } from "@/lib/auth/passkeys";
import { currentUser, currentViewer } from "@/lib/auth/session";

const bodySchema = z.object({ csrf_token: z.string() });

/** WebAuthn options to add a passkey to the signed-in person's account. */
export async function POST(request: Request) {
  const body = bodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success || !(await verifyCsrfToken(request, body.data.csrf_token)))
    return plainTextResponse(403, "This page expired or came from another site. Reload it and try again.");
  const [user, viewer] = await Promise.all([currentUser(), currentViewer()]);
  if (!user || !viewer) return plainTextResponse(401, "You are signed out. Sign in and try again.");
  const refusal = await changeRefusal(user, viewer, FACTOR_CHANGE);
  if (refusal) return plainTextResponse(403, refusal);
  return Response.json(await passkeyRegistrationOptions(user), { headers: { "Cache-Control": "no-store" } });
}
