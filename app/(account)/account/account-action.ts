/**
 * How the account pages' server actions answer: the change runs for the
 * signed-in person (CSRF checked), and a refusal a person can act on becomes
 * the message the form shows. Not a "use server" module: it is shared by them.
 */
import { headers } from "next/headers";
import { ZodError } from "zod";
import type { AccountFormState } from "@/components/account/action-form";
import { AccountRuleError } from "@/lib/accounts/profile";
import { clientIp } from "@/lib/auth/client-ip";
import { ACCOUNT_STEPS, actionUser, ActionRefused, type ChangeGuard } from "@/lib/auth/guards";
import { formErrorMessage } from "@/lib/auth/messages";
import { SecondFactorError } from "@/lib/auth/second-factor";
import type { User } from "@/lib/generated/prisma/client";

export async function accountAction(
  form: FormData,
  change: (user: User, ip: string) => Promise<AccountFormState>,
  guard: ChangeGuard = ACCOUNT_STEPS,
): Promise<AccountFormState> {
  try {
    const user = await actionUser(form, guard);
    return await change(user, clientIp(await headers()));
  } catch (error) {
    if (error instanceof ActionRefused || error instanceof AccountRuleError || error instanceof SecondFactorError)
      return { error: error.message };
    if (error instanceof ZodError) return { error: error.issues[0]?.message ?? formErrorMessage("invalid_input") };
    throw error;
  }
}

/** A refused check that can be retried (a wrong password, too many attempts), in words. */
export function refusal(result: { ok: false; reason: string; retryAfterSeconds?: number }): AccountFormState {
  return { error: formErrorMessage(result.reason, result.retryAfterSeconds) ?? formErrorMessage("invalid_input") };
}
