import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { z } from "zod";
import { findUserById } from "@/lib/accounts/users";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrfToken } from "@/lib/auth/csrf";
import { plainTextResponse } from "@/lib/auth/form-response";
import { formErrorMessage } from "@/lib/auth/messages";
import { checkPasskey } from "@/lib/auth/passkeys";
import { safeReturnTo } from "@/lib/auth/return-to";
import { afterFirstFactor, afterSecondFactor, secondFactorSubject } from "@/lib/auth/sign-in-steps";
import { recordEvent } from "@/lib/events";

const bodySchema = z.object({
  csrf_token: z.string(),
  mode: z.enum(["sign_in", "second_factor"]),
  returnTo: z.string().optional(),
  response: z.looseObject({ id: z.string().max(1500), type: z.literal("public-key") }),
});

const refused = () =>
  Response.json(
    { error: "passkey_failed", message: formErrorMessage("passkey_failed") },
    { status: 401, headers: { "Cache-Control": "no-store" } },
  );

/** The browser's answer to the passkey challenge: signs in, or completes the second factor. */
export async function POST(request: Request) {
  const body = bodySchema.safeParse(await request.json().catch(() => null));
  if (!body.success) return plainTextResponse(400, "Send csrf_token, mode and the passkey's response.");
  if (!(await verifyCsrfToken(request, body.data.csrf_token)))
    return plainTextResponse(403, "This page expired or came from another site. Reload it and try again.");
  const returnTo = safeReturnTo(body.data.returnTo);
  const response = body.data.response as unknown as AuthenticationResponseJSON;
  const ip = clientIp(request.headers);

  if (body.data.mode === "second_factor") {
    const subject = await secondFactorSubject();
    if (!subject) return refused();
    const check = await checkPasskey(response, { requireUserVerification: false });
    if (!check.ok || check.userId !== subject.user.id) return refused();
    await afterSecondFactor(subject, "hwk");
    return Response.json({ redirectTo: returnTo }, { headers: { "Cache-Control": "no-store" } });
  }

  // A passkey alone: possession and the authenticator's PIN or biometric, so two factors.
  const check = await checkPasskey(response, { requireUserVerification: true });
  const user = check.ok ? await findUserById(check.userId) : null;
  if (!user || user.disabledAt) return refused();
  await recordEvent({ type: "user.signed_in", userId: user.id, ip, details: { method: "passkey" } });
  return Response.json(
    { redirectTo: await afterFirstFactor(user, ["hwk", "mfa"], returnTo) },
    { headers: { "Cache-Control": "no-store" } },
  );
}
