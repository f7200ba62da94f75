"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { AccountFormState } from "@/components/account/action-form";
import { isConfirmed } from "@/lib/auth/confirm";
import { actionUser, ActionRefused, FACTOR_CHANGE, SECURITY_STEPS } from "@/lib/auth/guards";
import { removeMyPasskey, renameMyPasskey } from "@/lib/auth/passkeys";
import { confirmTotpEnrolment, disableTotp, regenerateRecoveryCodes } from "@/lib/auth/second-factor";
import { addToSessionAmr } from "@/lib/auth/session";
import { checkPassword } from "@/lib/accounts/profile";
import { accountAction, refusal } from "../account-action";

/** Turns the authenticator app on with a code from it; this session then counts as having given a second factor. */
export async function confirmTotpAction(_: AccountFormState, form: FormData): Promise<AccountFormState> {
  return accountAction(
    form,
    async (user) => {
      const codes = await confirmTotpEnrolment(user, String(form.get("enrolment") ?? ""), String(form.get("code") ?? ""));
      await addToSessionAmr("otp");
      return { ok: "Your authenticator app is on: signing in now asks for a code from it.", codes };
    },
    FACTOR_CHANGE,
  );
}

export async function disableTotpAction(_: AccountFormState, form: FormData): Promise<AccountFormState> {
  return accountAction(
    form,
    async (user) => {
      const checked = await checkPassword(user, String(form.get("password") ?? ""));
      if (!checked.ok) return refusal(checked);
      await disableTotp(user);
      revalidatePath("/account/security");
      return { ok: "The authenticator app is off, and its recovery codes no longer work." };
    },
    FACTOR_CHANGE,
  );
}

export async function regenerateCodesAction(_: AccountFormState, form: FormData): Promise<AccountFormState> {
  return accountAction(
    form,
    async (user) => ({ ok: "New recovery codes: the old ones no longer work.", codes: await regenerateRecoveryCodes(user) }),
    FACTOR_CHANGE,
  );
}

export async function renamePasskeyAction(_: AccountFormState, form: FormData): Promise<AccountFormState> {
  return accountAction(
    form,
    async (user) => {
      const renamed = await renameMyPasskey(user, String(form.get("id") ?? ""), String(form.get("name") ?? ""));
      revalidatePath("/account/security");
      return renamed ? { ok: "Renamed." } : { error: "That passkey is not yours or no longer exists." };
    },
    SECURITY_STEPS,
  );
}

export async function removePasskeyAction(form: FormData): Promise<void> {
  let outcome = "removed";
  try {
    const user = await actionUser(form, FACTOR_CHANGE);
    if (!isConfirmed(form)) outcome = "unconfirmed";
    else if (!(await removeMyPasskey(user, String(form.get("id") ?? "")))) outcome = "missing";
  } catch (error) {
    if (!(error instanceof ActionRefused)) throw error;
    outcome = "refused";
  }
  redirect(`/account/security?passkey=${outcome}`);
}
