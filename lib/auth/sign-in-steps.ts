/**
 * The steps of signing in: after the first factor (password, or a passkey
 * alone), a session starts, or the second factor is asked first when the
 * person has one. The second-factor step also serves a signed-in person
 * whom an app (acr_values) or the admins' policy asks for one now.
 */
import { findUserById } from "@/lib/accounts/users";
import { markKnownDevice } from "@/lib/auth/known-device";
import { hasSecondFactor } from "@/lib/auth/second-factor";
import { currentViewer, pendingSignIn, startPendingSignIn, startSession } from "@/lib/auth/session";
import type { User } from "@/lib/generated/prisma/client";

export const SECOND_FACTOR_PATH = "/sign-in/second-factor";

/** Where the person goes after the first factor: on to `returnTo`, or to the second factor first. */
export async function afterFirstFactor(user: User, amr: string[], returnTo: string): Promise<string> {
  await markKnownDevice(user.email);
  if (!amr.includes("mfa") && (await hasSecondFactor(user))) {
    await startPendingSignIn(user, amr);
    return `${SECOND_FACTOR_PATH}?returnTo=${encodeURIComponent(returnTo)}`;
  }
  await startSession(user, amr);
  return returnTo;
}

/** Who is giving a second factor now: the person half-way through signing in, or a signed-in person stepping up. */
export async function secondFactorSubject(): Promise<{ user: User; amr: string[] } | null> {
  const pending = await pendingSignIn();
  const viewer = pending ? null : await currentViewer();
  const userId = pending?.userId ?? viewer?.userId;
  const user = userId ? await findUserById(userId) : null;
  if (!user || user.disabledAt) return null;
  return { user, amr: pending?.amr ?? viewer?.amr ?? [] };
}

/** The second factor was given: a new session that says so (amr `mfa`). */
export async function afterSecondFactor(subject: { user: User; amr: string[] }, factor: "otp" | "hwk"): Promise<void> {
  await startSession(subject.user, [...new Set([...subject.amr, factor, "mfa"])]);
}
