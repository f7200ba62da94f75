import { verifyCsrf } from "@/lib/auth/csrf";
import { formFailure, formSuccess, readForm } from "@/lib/auth/form-response";
import { safeReturnTo } from "@/lib/auth/return-to";
import { clientIp } from "@/lib/auth/client-ip";
import { currentViewer, endSession } from "@/lib/auth/session";
import { signedOut } from "@/lib/oauth/logout";

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, "/");
  const viewer = await currentViewer();
  await endSession();
  if (viewer) await signedOut(viewer.userId, { ip: clientIp(request.headers), sid: viewer.sid });
  // "Not you?" on the consent screen signs out and comes back to the same request.
  return formSuccess(request, safeReturnTo(form.get("returnTo"), "/sign-in"));
}
