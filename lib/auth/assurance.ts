/**
 * What a signed-in person must still do before an app may be authorized:
 * give a second factor (asked for by the app's acr_values, or required by
 * the admins' policy), set one up when they have none, or confirm their
 * email (REQUIRE_VERIFIED_EMAIL). One place, asked by the authorization flow.
 */
import { findUserById } from "@/lib/accounts/users";
import { hasSecondFactor } from "@/lib/auth/second-factor";
import { getConfig } from "@/lib/config";
import { secondFactorPolicy, secondFactorRequiredFor } from "@/lib/settings";

export type AccountStep = "second_factor" | "set_up_second_factor" | "verify_email";

export async function pendingAccountStep(
  viewer: { userId: string; amr: readonly string[] },
  request: { requireMfa: boolean },
): Promise<AccountStep | null> {
  const mfaDone = viewer.amr.includes("mfa");
  const mayNeedMfa = !mfaDone && (request.requireMfa || (await secondFactorPolicy()) !== "off");
  if (!mayNeedMfa && !getConfig().requireVerifiedEmail) return null;
  const user = await findUserById(viewer.userId);
  if (!user) return null;
  if (mayNeedMfa && (request.requireMfa || (await secondFactorRequiredFor(user)))) {
    return (await hasSecondFactor(user)) ? "second_factor" : "set_up_second_factor";
  }
  if (getConfig().requireVerifiedEmail && !user.emailVerifiedAt) return "verify_email";
  return null;
}

/** Where each step is taken; `returnTo` brings the person back to the request. */
export function accountStepLocation(step: AccountStep, returnTo: string): string {
  const back = encodeURIComponent(returnTo);
  if (step === "second_factor") return `/sign-in/second-factor?returnTo=${back}`;
  if (step === "set_up_second_factor") return `/account/security?required=1&returnTo=${back}`;
  return `/account/verify-email?returnTo=${back}`;
}
