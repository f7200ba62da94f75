import { z } from "zod";
import { verifyCsrfToken } from "@/lib/auth/csrf";
import { plainTextResponse } from "@/lib/auth/form-response";
import { passkeyRegistrationOptions } from "@/lib/auth/passkeys";
import { currentUser } from "@/lib/auth/session";

const bodySchema = z.object({ csrf_token: z.string() });

/** WebAuthn options to add a passkey to the signed-in person's account. */
export async function POST(request: Request) {
  const body = bodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success || !(await verifyCsrfToken(request, body.data.csrf_token))) return plainTextResponse(403, "This page expired or came from another site. Reload it and try again.");
  const user = await currentUser();
  if (!user) return plainTextResponse(401, "You are signed out. Sign in and try again.");
  return Response.json(await passkeyRegistrationOptions(user), { headers: { "Cache-Control": "no-store" } });
}
