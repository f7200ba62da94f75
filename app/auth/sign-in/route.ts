import { z } from "zod";
import { signIn } from "@/lib/accounts/users";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { fieldErrorsOf, formFailure, formSuccess, readForm, retryLaterFailure } from "@/lib/auth/form-response";
import { isKnownDevice } from "@/lib/auth/known-device";
import { safeReturnTo } from "@/lib/auth/return-to";
import { afterFirstFactor } from "@/lib/auth/sign-in-steps";

const signInSchema = z.object({
  email: z.string().trim().toLowerCase().min(1, "Enter your email"),
  password: z.string().min(1, "Enter your password"),
});

export async function POST(request: Request) {
  const form = await readForm(request);
  const returnTo = safeReturnTo(form?.get("returnTo"));
  const formPath = `/sign-in?returnTo=${encodeURIComponent(returnTo)}`;
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, formPath);

  const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password") });
  if (!parsed.success) {
    return formFailure(request, { error: "invalid_input", status: 400, fieldErrors: fieldErrorsOf(parsed.error.issues) }, formPath);
  }
  const { email, password } = parsed.data;
  const result = await signIn({ email, password, ip: clientIp(request.headers), knownDevice: await isKnownDevice(email) });
  if (!result.ok) {
    if (result.reason === "throttled" || result.reason === "busy") return retryLaterFailure(request, result, formPath);
    const status = result.reason === "account_disabled" ? 403 : 401;
    return formFailure(request, { error: result.reason, status }, formPath);
  }
  return formSuccess(request, await afterFirstFactor(result.user, ["pwd"], returnTo));
}
