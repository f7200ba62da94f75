import { signUpSchema, startSignUp } from "@/lib/accounts/sign-up";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { fieldErrorsOf, formFailure, formSuccess, readForm, retryLaterFailure } from "@/lib/auth/form-response";
import { safeReturnTo } from "@/lib/auth/return-to";
import { getConfig } from "@/lib/config";

export async function POST(request: Request) {
  const form = await readForm(request);
  const returnTo = safeReturnTo(form?.get("returnTo"));
  const formPath = `/sign-up?returnTo=${encodeURIComponent(returnTo)}`;
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, formPath);
  if (!getConfig().signUpOpen) return formFailure(request, { error: "sign_up_closed", status: 403 }, formPath);

  const parsed = signUpSchema.safeParse({
    email: form.get("email") ?? "",
    password: form.get("password") ?? "",
    name: form.get("name") ?? undefined,
  });
  if (!parsed.success) {
    return formFailure(request, { error: "invalid_input", status: 400, fieldErrors: fieldErrorsOf(parsed.error.issues) }, formPath);
  }
  const result = await startSignUp({ ...parsed.data, returnTo }, { ip: clientIp(request.headers) });
  if (!result.ok) return retryLaterFailure(request, result, formPath);
  // The same answer whether or not the email has an account.
  return formSuccess(request, "/sign-up/check-email");
}
