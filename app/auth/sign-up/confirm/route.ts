import { confirmSignUp } from "@/lib/accounts/sign-up";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { formFailure, formSuccess, readForm, retryLaterFailure } from "@/lib/auth/form-response";
import { safeReturnTo } from "@/lib/auth/return-to";
import { afterFirstFactor } from "@/lib/auth/sign-in-steps";

export async function POST(request: Request) {
  const form = await readForm(request);
  const token = String(form?.get("token") ?? "");
  const formPath = `/sign-up/confirm?token=${encodeURIComponent(token)}`;
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, formPath);
  const result = await confirmSignUp(token, String(form.get("password") ?? ""), { ip: clientIp(request.headers) });
  if (!result.ok) {
    if (result.reason === "throttled" || result.reason === "busy") return retryLaterFailure(request, result, formPath);
    // A wrong password keeps the link's page, so the person who signed up can try again.
    if (result.reason === "not_your_sign_up") return formFailure(request, { error: result.reason, status: 400 }, formPath);
    return formFailure(request, { error: result.reason, status: result.reason === "invalid_link" ? 400 : 409 }, "/sign-up/confirm");
  }
  return formSuccess(request, await afterFirstFactor(result.user, ["pwd"], safeReturnTo(result.returnTo)));
}
