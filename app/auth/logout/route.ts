import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { formFailure, formSuccess, readForm } from "@/lib/auth/form-response";
import { currentViewer, endSession } from "@/lib/auth/session";
import { readEndSessionRequest, signedOut } from "@/lib/oauth/logout";

/** The answer on /logout: sign out (then back to the app, if it asked), or stay signed in. */
export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, "/");
  if (form.get("decision") !== "sign_out") return formSuccess(request, "/");
  const params = new URLSearchParams(String(form.get("request") ?? ""));
  const viewer = await currentViewer();
  // Checked again: the page's hidden field came back through the browser.
  const outcome = await readEndSessionRequest(params, viewer?.userId ?? null);
  if (viewer) {
    await endSession();
    await signedOut(viewer.userId, { ip: clientIp(request.headers), sid: viewer.sid });
  }
  return formSuccess(request, "problem" in outcome || !outcome.redirectTo ? "/logout/done" : outcome.redirectTo);
}
