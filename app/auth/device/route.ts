import { verifyCsrf } from "@/lib/auth/csrf";
import { formSuccess, plainTextResponse, readForm } from "@/lib/auth/form-response";
import { currentViewer } from "@/lib/auth/session";
import { answerDeviceCode } from "@/lib/oauth/device";

/** Authorize or Deny on /device. */
export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form || !(await verifyCsrf(request, form))) return plainTextResponse(403, "This answer did not come from the page the portal showed you. Reload it and try again.");
  const viewer = await currentViewer();
  if (!viewer) return formSuccess(request, "/sign-in?returnTo=/device");
  const approve = form.get("decision") === "authorize";
  const answered = await answerDeviceCode(String(form.get("user_code") ?? ""), approve, viewer);
  return formSuccess(request, `/device/done?result=${answered ? (approve ? "approved" : "denied") : "expired"}`);
}
