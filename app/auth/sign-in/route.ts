import { z } from "zod";
import { signIn } from "@/lib/accounts/users";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { fieldErrorsOf, formFailure, formSuccess, readForm } from "@/lib/auth/form-response";
import { safeReturnTo } from "@/lib/auth/return-to";
import { startSession } from "@/lib/auth/session";

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email"),
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
  const result = await signIn({ ...parsed.data, ip: clientIp(request.headers) });
  if (!result.ok) {
    if (result.reason === "throttled") {
      return formFailure(request, { error: "throttled", status: 429, retryAfterSeconds: result.retryAfterSeconds }, formPath);
    }
    const status = result.reason === "account_disabled" ? 403 : 401;
    return formFailure(request, { error: result.reason, status }, formPath);
  }
  await startSession(result.user);
  return formSuccess(request, returnTo);
}
