/**
 * Answers to the portal's own HTML forms. A form enhanced by JavaScript asks
 * for JSON and shows the error in place with the input kept; a plain form
 * post gets a 303 (RFC 9700 §4.12: never 307 after credentials) to the next
 * page, or back to the form with an error code.
 */
import { getConfig } from "@/lib/config";
import { isStorable } from "@/lib/storable";
import { formErrorMessage, type FormErrorCode } from "@/lib/auth/messages";

export type FormFailure = {
  error: FormErrorCode;
  status: 400 | 401 | 403 | 409 | 429 | 503;
  retryAfterSeconds?: number;
  fieldErrors?: Record<string, string>;
};

const noStore = { "Cache-Control": "no-store" };

function wantsJson(request: Request): boolean {
  return request.headers.get("accept")?.includes("application/json") ?? false;
}

function absolute(path: string): string {
  return new URL(path, getConfig().issuer).toString();
}

export function formSuccess(request: Request, redirectTo: string): Response {
  if (wantsJson(request)) return Response.json({ redirectTo }, { headers: noStore });
  return new Response(null, { status: 303, headers: { ...noStore, Location: absolute(redirectTo) } });
}

/** `formPath` is the page to go back to; its query keeps what the page needs (returnTo). */
export function formFailure(request: Request, failure: FormFailure, formPath: string): Response {
  const retryHeaders: Record<string, string> = failure.retryAfterSeconds ? { "Retry-After": String(failure.retryAfterSeconds) } : {};
  if (wantsJson(request)) {
    const message = formErrorMessage(failure.error, failure.retryAfterSeconds);
    return Response.json(
      { error: failure.error, message, fieldErrors: failure.fieldErrors ?? {}, retryAfterSeconds: failure.retryAfterSeconds },
      { status: failure.status, headers: { ...noStore, ...retryHeaders } },
    );
  }
  const target = new URL(formPath, getConfig().issuer);
  target.searchParams.set("error", failure.error);
  if (failure.retryAfterSeconds) target.searchParams.set("retry_after", String(failure.retryAfterSeconds));
  return new Response(null, { status: 303, headers: { ...noStore, ...retryHeaders, Location: target.toString() } });
}

/** "Try again later": 429 for too many attempts, 503 when the server is too busy to check a password now. */
export function retryLaterFailure(
  request: Request,
  refusal: { reason: "throttled" | "busy"; retryAfterSeconds: number },
  formPath: string,
): Response {
  const status = refusal.reason === "busy" ? 503 : 429;
  return formFailure(request, { error: refusal.reason, status, retryAfterSeconds: refusal.retryAfterSeconds }, formPath);
}

/** A refusal a person reads as it is (a forged or expired form, a missing role); never cached. */
export function plainTextResponse(status: number, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...noStore } });
}

/** zod issues as one message per field, for the form to show beside each input. */
export function fieldErrorsOf(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

/** The submitted form, or null when the body is not a form at all (or holds a NUL character, which no field may). */
export async function readForm(request: Request): Promise<FormData | null> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return null;
  }
  for (const [name, value] of form) if (!isStorable(name) || (typeof value === "string" && !isStorable(value))) return null;
  return form;
}
