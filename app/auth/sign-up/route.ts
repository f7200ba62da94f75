import { EmailTakenError, newUserSchema, signUp } from "@/lib/accounts/users";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { fieldErrorsOf, formFailure, formSuccess, readForm, retryLaterFailure } from "@/lib/auth/form-response";
import { markKnownDevice } from "@/lib/auth/known-device";
import { safeReturnTo } from "@/lib/auth/return-to";
import { startSession } from "@/lib/auth/session";

export async function POST(request: Request) {
  const form = await readForm(request);
  const returnTo = safeReturnTo(form?.get("returnTo"));
  const formPath = `/sign-up?returnTo=${encodeURIComponent(returnTo)}`;
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, formPath);

  const parsed = newUserSchema.safeParse({
    email: form.get("email") ?? "",
    password: form.get("password") ?? "",
    name: form.get("name") ?? undefined,
  });
  if (!parsed.success) {
    return formFailure(request, { error: "invalid_input", status: 400, fieldErrors: fieldErrorsOf(parsed.error.issues) }, formPath);
  }
  try {
    const result = await signUp(parsed.data, { ip: clientIp(request.headers) });
    if (!result.ok) return retryLaterFailure(request, result, formPath);
    await startSession(result.user);
    await markKnownDevice(result.user.email);
    return formSuccess(request, returnTo);
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    return formFailure(request, { error: "email_taken", status: 409, fieldErrors: { email: error.message } }, formPath);
  }
}
