import { verifyCsrf } from "@/lib/auth/csrf";
import { formFailure, formSuccess, readForm } from "@/lib/auth/form-response";
import { endSession } from "@/lib/auth/session";

export async function POST(request: Request) {
  const form = await readForm(request);
  if (!form || !(await verifyCsrf(request, form))) return formFailure(request, { error: "csrf", status: 403 }, "/");
  await endSession();
  return formSuccess(request, "/sign-in");
}
