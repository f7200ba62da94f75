/**
 * The admin screens' form posts. Each is a route handler so that the role is
 * checked on the server for every change and a refusal is a real 403: a
 * non-admin (or a forged form) changes nothing, whatever it sends.
 */
import { ZodError } from "zod";
import { AdminRuleError } from "@/lib/admin";
import { verifyCsrf } from "@/lib/auth/csrf";
import { plainTextResponse as refusal, readForm } from "@/lib/auth/form-response";
import { currentUser, currentViewer } from "@/lib/auth/session";
import { changeRefusal } from "@/lib/auth/guards";
import { getConfig } from "@/lib/config";
import { signedParam } from "@/lib/notices";
import type { User } from "@/lib/generated/prisma/client";

/** `change` returns the notice to show; `page` is where the person goes back to (303). */
export function adminFormRoute(page: string, change: (form: FormData, admin: User) => Promise<string>) {
  return async (request: Request): Promise<Response> => {
    const form = await readForm(request);
    if (!form || !(await verifyCsrf(request, form)))
      return refusal(403, "This form expired or came from another site. Reload the page and try again.");
    const [user, viewer] = await Promise.all([currentUser(), currentViewer()]);
    if (!user || !viewer) return refusal(401, "You are signed out. Sign in and try again.");
    if (!user.isAdmin) return refusal(403, "Administrators only.");
    const pending = await changeRefusal(user, viewer);
    if (pending) return refusal(403, pending);
    let query: string;
    try {
      query = signedParam("notice", await change(form, user));
    } catch (error) {
      if (error instanceof ZodError) query = signedParam("error", error.issues.map((issue) => issue.message).join(". "));
      else if (error instanceof AdminRuleError) query = signedParam("error", error.description);
      else throw error;
    }
    return new Response(null, { status: 303, headers: { Location: `${getConfig().issuer}${page}?${query}`, "Cache-Control": "no-store" } });
  };
}
