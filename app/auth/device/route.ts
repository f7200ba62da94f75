import { accountStepLocation, pendingAccountStep } from "@/lib/auth/assurance";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { formSuccess, plainTextResponse, readForm } from "@/lib/auth/form-response";
import { currentViewer } from "@/lib/auth/session";
import { answerDeviceCode } from "@/lib/oauth/device";

/** Authorize or Deny on /device: after the account's pending steps (second factor, confirmed email), as an authorization request would. */
export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form || !(await verifyCsrf(request, form)))
    return plainTextResponse(403, "This answer did not come from the page the portal showed you. Reload it and try again.");
  const viewer = await currentViewer();
  if (!viewer) return formSuccess(request, "/sign-in?returnTo=/device");
  const userCode = String(form.get("user_code") ?? "");
  const approve = form.get("decision") === "authorize";
  const step = approve ? await pendingAccountStep(viewer, { requireMfa: false }) : null;
  if (step) return formSuccess(request, accountStepLocation(step, `/device?user_code=${encodeURIComponent(userCode)}`));
  const answered = await answerDeviceCode(userCode, approve, viewer, clientIp(request.headers));
  if (answered === "too_many") return formSuccess(request, `/device?user_code=${encodeURIComponent(userCode)}`);
  return formSuccess(request, `/device/done?result=${answered ? (approve ? "approved" : "denied") : "expired"}`);
}
