import { verifyCsrf } from "@/lib/auth/csrf";
import { formFailure, formSuccess, readForm } from "@/lib/auth/form-response";
import { safeReturnTo } from "@/lib/auth/return-to";
import { endSession } from "@/lib/auth/session";

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, "/");
  await endSession();
  // "Not you?" on the consent screen signs out and comes back to the same request.
  return formSuccess(request, safeReturnTo(form.get("returnTo"), "/sign-in"));
}
