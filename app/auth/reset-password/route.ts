import { resetPassword } from "@/lib/accounts/recovery";
import { passwordSchema } from "@/lib/accounts/users";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { fieldErrorsOf, formFailure, formSuccess, readForm, retryLaterFailure } from "@/lib/auth/form-response";

export async function POST(request: Request) {
  const form = await readForm(request);
  const token = String(form?.get("token") ?? "");
  const formPath = `/reset-password?token=${encodeURIComponent(token)}`;
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, formPath);
  const password = passwordSchema.safeParse(form.get("password") ?? "");
  if (!password.success)
    return formFailure(
      request,
      {
        error: "invalid_input",
        status: 400,
        fieldErrors: fieldErrorsOf(password.error.issues.map((issue) => ({ ...issue, path: ["password"] }))),
      },
      formPath,
    );
  const result = await resetPassword(token, password.data, { ip: clientIp(request.headers) });
  if (!result.ok) {
    if (result.reason === "invalid_link") return formFailure(request, { error: "invalid_link", status: 400 }, formPath);
    return retryLaterFailure(request, result, formPath);
  }
  return formSuccess(request, `/sign-in?notice=password_reset`);
}
