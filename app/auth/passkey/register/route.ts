import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { verifyCsrfToken } from "@/lib/auth/csrf";
import { plainTextResponse } from "@/lib/auth/form-response";
import { changeRefusal, FACTOR_CHANGE } from "@/lib/auth/guards";
import { PasskeyError, passkeyNameSchema, registerPasskey } from "@/lib/auth/passkeys";
import { addToSessionAmr, currentUser, currentViewer } from "@/lib/auth/session";

const bodySchema = z.object({
  csrf_token: z.string(),
  name: passkeyNameSchema,
  response: z.looseObject({ id: z.string().max(1500), type: z.literal("public-key") }),
});

/** The browser's new passkey: checked against the held challenge and kept; this session then counts as having given a second factor. */
export async function POST(request: Request) {
  const body = bodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) return Response.json({ message: body.error.issues[0]?.message ?? "Send a name and the passkey." }, { status: 400 });
  if (!(await verifyCsrfToken(request, body.data.csrf_token)))
    return plainTextResponse(403, "This page expired or came from another site. Reload it and try again.");
  const [user, viewer] = await Promise.all([currentUser(), currentViewer()]);
  if (!user || !viewer) return plainTextResponse(401, "You are signed out. Sign in and try again.");
  const refusal = await changeRefusal(user, viewer, FACTOR_CHANGE);
  if (refusal) return plainTextResponse(403, refusal);
  try {
    await registerPasskey(user, body.data.response as unknown as RegistrationResponseJSON, body.data.name);
  } catch (error) {
    if (error instanceof PasskeyError) return Response.json({ message: error.message }, { status: 400 });
    throw error;
  }
  await addToSessionAmr("hwk");
  return Response.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
}
