import { confirmEmail } from "@/lib/accounts/profile";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { formFailure, formSuccess, readForm } from "@/lib/auth/form-response";
import { currentUser } from "@/lib/auth/session";

export async function POST(request: Request) {
  const form = await readForm(request);
  const token = String(form?.get("token") ?? "");
  const formPath = `/account/email/confirm?token=${encodeURIComponent(token)}`;
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, formPath);
  const result = await confirmEmail(token, { ip: clientIp(request.headers) });
  if (!result.ok)
    return formFailure(
      request,
      { error: result.reason === "email_taken" ? "email_taken" : "invalid_link", status: result.reason === "email_taken" ? 409 : 400 },
      "/account/email/confirm",
    );
  return formSuccess(request, (await currentUser()) ? "/account?notice=email_confirmed" : "/sign-in?notice=email_confirmed");
}
