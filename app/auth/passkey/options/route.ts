import { z } from "zod";
import { verifyCsrfToken } from "@/lib/auth/csrf";
import { plainTextResponse } from "@/lib/auth/form-response";
import { passkeyAuthenticationOptions } from "@/lib/auth/passkeys";
import { secondFactorSubject } from "@/lib/auth/sign-in-steps";

const bodySchema = z.object({ csrf_token: z.string(), mode: z.enum(["sign_in", "second_factor"]) });

/** WebAuthn options to sign in with a passkey alone, or to give one as the second factor. */
export async function POST(request: Request) {
  const body = bodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) return plainTextResponse(400, "Send csrf_token and mode (sign_in or second_factor).");
  if (!(await verifyCsrfToken(request, body.data.csrf_token)))
    return plainTextResponse(403, "This page expired or came from another site. Reload it and try again.");
  if (body.data.mode === "sign_in")
    return Response.json(await passkeyAuthenticationOptions(null), { headers: { "Cache-Control": "no-store" } });
  const subject = await secondFactorSubject();
  if (!subject) return plainTextResponse(401, "Sign in with your password first.");
  return Response.json(await passkeyAuthenticationOptions(subject.user), { headers: { "Cache-Control": "no-store" } });
}
