/**
 * Who may see a page or run a server action. Every page and action checks for
 * itself (never only a proxy): pages redirect a signed-out person to sign-in,
 * actions also verify the form's CSRF token and Origin.
 */
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { CSRF_FIELD, csrfCookieName, csrfValid } from "@/lib/auth/csrf";
import { accountStepLocation } from "@/lib/auth/assurance";
import { hasSecondFactor } from "@/lib/auth/second-factor";
import { currentUser, currentViewer } from "@/lib/auth/session";
import { secondFactorRequiredFor } from "@/lib/settings";
import type { User } from "@/lib/generated/prisma/client";

/**
 * The signed-in person, or a redirect to sign-in that comes back to
 * `returnTo`. When the admins require a second factor of this person and the
 * session has none, to the second factor (or its setup) first; the pages
 * where one is given or set up pass `secondFactorOptional`.
 */
export async function requireUser(returnTo: string, options: { secondFactorOptional?: boolean } = {}): Promise<User> {
  const [user, viewer] = await Promise.all([currentUser(), currentViewer()]);
  if (!user || !viewer) redirect(returnTo === "/" ? "/sign-in" : `/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  if (!options.secondFactorOptional && !viewer.amr.includes("mfa") && (await secondFactorRequiredFor(user))) {
    redirect(accountStepLocation((await hasSecondFactor(user)) ? "second_factor" : "set_up_second_factor", returnTo));
  }
  return user;
}

/** The signed-in admin; anyone else gets 403 (app/forbidden.tsx). */
export async function requireAdmin(returnTo: string): Promise<User> {
  const user = await requireUser(returnTo);
  if (!user.isAdmin) forbidden();
  return user;
}

export class ActionRefused extends Error {
  override name = "ActionRefused";
}

/** For server actions: a valid CSRF token from this origin, and a signed-in person. */
export async function actionUser(form: FormData): Promise<User> {
  const valid = csrfValid({ headers: await headers(), cookieNonce: (await cookies()).get(csrfCookieName())?.value, formToken: form.get(CSRF_FIELD) });
  if (!valid) throw new ActionRefused("This form expired or came from another site. Reload the page and try again.");
  const user = await currentUser();
  if (!user) throw new ActionRefused("You are signed out. Sign in and try again.");
  return user;
}
