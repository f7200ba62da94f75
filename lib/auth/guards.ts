/**
 * Who may see a page or run a server action. Every page and action checks for
 * itself (never only a proxy): pages redirect a signed-out person to sign-in,
 * actions also verify the form's CSRF token and Origin.
 */
import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { CSRF_FIELD, csrfCookieName, csrfValid } from "@/lib/auth/csrf";
import { accountStepLocation, pendingAccountStep, type AccountStep } from "@/lib/auth/assurance";
import { hasSecondFactor } from "@/lib/auth/second-factor";
import { currentUser, currentViewer } from "@/lib/auth/session";
import { secondFactorRequiredFor } from "@/lib/settings";
import { getConfig } from "@/lib/config";
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

const STEP_REFUSALS: Record<AccountStep, string> = {
  second_factor: "This needs your second factor: sign out, then sign in again and give it.",
  set_up_second_factor: "Set up a second factor first, on your Security page.",
  verify_email: "Confirm your email address first: use the link we sent you, or send a new one from your account page.",
};

export type ChangeGuard = {
  /** The steps this request exists to take (setting up a second factor, confirming an email), which may still be pending. */
  allowPending?: readonly AccountStep[];
  /** It adds, replaces or removes a second factor: with factors already set up, only in a session that gave one (else a password alone would buy a second factor). */
  changesFactors?: boolean;
  /** It needs the person to have signed in within STEP_UP_MAX_AGE ("sudo mode"), so a browser left signed in is not enough. */
  recentProof?: boolean;
};

/** Whether the session signed in recently enough for the changes that ask for it. */
export function proofIsRecent(viewer: { authTime: number }): boolean {
  return Date.now() / 1000 - viewer.authTime <= getConfig().stepUpMaxAgeSeconds;
}

/** Where a person signs in again to confirm it is them, and comes back. */
export function stepUpLocation(returnTo: string): string {
  return `/sign-in?prompt=login&returnTo=${encodeURIComponent(returnTo)}`;
}

/** The account's own pages take a step a person may still owe: confirming the email. */
export const ACCOUNT_STEPS: ChangeGuard = { allowPending: ["verify_email"] };
/** The security page also sets up the second factor the admins may require. */
export const SECURITY_STEPS: ChangeGuard = { allowPending: ["verify_email", "set_up_second_factor"] };
/** Adding, replacing or removing a factor (TOTP, a passkey, recovery codes): with factors set up, only after giving one. */
export const FACTOR_CHANGE: ChangeGuard = { ...SECURITY_STEPS, changesFactors: true, recentProof: true };
/** Deleting one's account: a recent sign-in, as for factors. */
export const ACCOUNT_DELETION: ChangeGuard = { ...ACCOUNT_STEPS, recentProof: true };

/**
 * Why the signed-in person may not change anything now, or null. The one rule
 * for every state-changing request (server actions, admin forms, the device
 * answer, passkey routes): the admins' second-factor policy and
 * REQUIRE_VERIFIED_EMAIL hold there as where pages render.
 */
export async function changeRefusal(
  user: User,
  viewer: { userId: string; amr: readonly string[]; authTime: number },
  guard: ChangeGuard = {},
): Promise<string | null> {
  const step = await pendingAccountStep(viewer, { requireMfa: false });
  if (step && !guard.allowPending?.includes(step)) return STEP_REFUSALS[step];
  if (guard.changesFactors && !viewer.amr.includes("mfa") && (await hasSecondFactor(user))) return STEP_REFUSALS.second_factor;
  if (guard.recentProof && !proofIsRecent(viewer)) {
    return `Confirm it is you first: sign in again (the last sign-in was more than ${Math.round(getConfig().stepUpMaxAgeSeconds / 60)} minutes ago), then try again.`;
  }
  return null;
}

/** For server actions: a valid CSRF token from this origin, and a signed-in person with no step pending that the change does not exist to take. */
export async function actionUser(form: FormData, guard: ChangeGuard = {}): Promise<User> {
  const valid = csrfValid({
    headers: await headers(),
    cookieNonce: (await cookies()).get(csrfCookieName())?.value,
    formToken: form.get(CSRF_FIELD),
  });
  if (!valid) throw new ActionRefused("This form expired or came from another site. Reload the page and try again.");
  const [user, viewer] = await Promise.all([currentUser(), currentViewer()]);
  if (!user || !viewer) throw new ActionRefused("You are signed out. Sign in and try again.");
  const refusal = await changeRefusal(user, viewer, guard);
  if (refusal) throw new ActionRefused(refusal);
  return user;
}
