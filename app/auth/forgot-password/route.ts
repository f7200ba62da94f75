import { requestPasswordReset } from "@/lib/accounts/recovery";
import { emailSchema } from "@/lib/accounts/users";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { fieldErrorsOf, formFailure, formSuccess, readForm, retryLaterFailure } from "@/lib/auth/form-response";
import { getConfig } from "@/lib/config";

const FORM_PATH = "/forgot-password";

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, FORM_PATH);
  if (!getConfig().passwordReset) return formFailure(request, { error: "invalid_input", status: 400 }, FORM_PATH);
  const email = emailSchema.safeParse(form.get("email") ?? "");
  if (!email.success)
    return formFailure(
      request,
      {
        error: "invalid_input",
        status: 400,
        fieldErrors: fieldErrorsOf(email.error.issues.map((issue) => ({ ...issue, path: ["email"] }))),
      },
      FORM_PATH,
    );
  const result = await requestPasswordReset(email.data, { ip: clientIp(request.headers) });
  if (!result.ok) return retryLaterFailure(request, result, FORM_PATH);
  // The same answer whether or not the email has an account.
  return formSuccess(request, "/forgot-password/sent");
}
