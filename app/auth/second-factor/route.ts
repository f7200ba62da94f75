import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { formFailure, formSuccess, readForm, retryLaterFailure } from "@/lib/auth/form-response";
import { safeReturnTo } from "@/lib/auth/return-to";
import { checkSecondFactor } from "@/lib/auth/second-factor";
import { afterSecondFactor, SECOND_FACTOR_PATH, secondFactorSubject } from "@/lib/auth/sign-in-steps";

export async function POST(request: Request) {
  const form = await readForm(request);
  const returnTo = safeReturnTo(form?.get("returnTo"));
  const formPath = `${SECOND_FACTOR_PATH}?returnTo=${encodeURIComponent(returnTo)}`;
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, formPath);
  const subject = await secondFactorSubject();
  if (!subject)
    return formFailure(request, { error: "second_factor_expired", status: 401 }, `/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  const code = String(form.get("code") ?? "").slice(0, 40);
  const result = await checkSecondFactor(subject.user, code, { ip: clientIp(request.headers) });
  if (!result.ok) {
    if (result.reason === "throttled") return retryLaterFailure(request, result, formPath);
    return formFailure(request, { error: "wrong_code", status: 401, fieldErrors: { code: "That code is not right." } }, formPath);
  }
  await afterSecondFactor(subject, "otp");
  return formSuccess(request, returnTo);
}
