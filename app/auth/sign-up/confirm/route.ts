import { confirmSignUp } from "@/lib/accounts/sign-up";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { formFailure, formSuccess, readForm } from "@/lib/auth/form-response";
import { safeReturnTo } from "@/lib/auth/return-to";
import { afterFirstFactor } from "@/lib/auth/sign-in-steps";

export async function POST(request: Request) {
  const form = await readForm(request);
  const token = String(form?.get("token") ?? "");
  const formPath = `/sign-up/confirm?token=${encodeURIComponent(token)}`;
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, formPath);
  const result = await confirmSignUp(token, { ip: clientIp(request.headers) });
  if (!result.ok) return formFailure(request, { error: result.reason, status: result.reason === "invalid_link" ? 400 : 409 }, "/sign-up/confirm");
  return formSuccess(request, await afterFirstFactor(result.user, ["pwd"], safeReturnTo(result.returnTo)));
}
