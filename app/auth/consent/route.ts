import { z } from "zod";
import { clientIp } from "@/lib/auth/client-ip";
import { verifyCsrf } from "@/lib/auth/csrf";
import { plainTextResponse as consentProblem, readForm } from "@/lib/auth/form-response";
import { currentViewer } from "@/lib/auth/session";
import { answerConsent } from "@/lib/oauth/authorize";
import { authorizeResponse } from "@/lib/oauth/authorize-response";

const consentSchema = z.object({
  request: z.string().min(1).max(100),
  decision: z.enum(["authorize", "deny"]),
});

/** The consent screen's Authorize and Deny buttons. */
export async function POST(request: Request) {
  const form = await readForm(request);
  const parsed = consentSchema.safeParse({ request: form?.get("request"), decision: form?.get("decision") });
  if (!form || !parsed.success) return consentProblem(400, "The consent form was incomplete. Go back to the app and start again.");
  // RFC 6749 §10.12: only the portal's own consent page may answer.
  if (!(await verifyCsrf(request, form))) {
    return consentProblem(
      403,
      "This answer did not come from the consent page the portal showed you, so it was ignored. Reload the page and try again.",
    );
  }
  const outcome = await answerConsent(
    parsed.data.request,
    await currentViewer(),
    parsed.data.decision === "authorize",
    clientIp(request.headers),
  );
  return authorizeResponse(outcome, "POST");
}
