"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { AccountFormState } from "@/components/account/action-form";
import { accountAction, refusal } from "./account-action";
import { changePassword, deleteAccount, requestEmailChange, requestEmailVerification, updateName } from "@/lib/accounts/profile";
import { currentSessionIdHash, endSession } from "@/lib/auth/session";
import { ACCOUNT_DELETION } from "@/lib/auth/guards";

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function updateNameAction(_: AccountFormState, form: FormData): Promise<AccountFormState> {
  return accountAction(form, async (user) => {
    await updateName(user, text(form, "name"));
    revalidatePath("/account");
    return { ok: "Your name was saved." };
  });
}

export async function changePasswordAction(_: AccountFormState, form: FormData): Promise<AccountFormState> {
  return accountAction(form, async (user, ip) => {
    const result = await changePassword(
      user,
      { current: text(form, "current"), next: text(form, "next"), keepSessionIdHash: (await currentSessionIdHash()) ?? "" },
      { ip },
    );
    return result.ok ? { ok: "Your password was changed, and every other session signed out." } : refusal(result);
  });
}

export async function requestEmailChangeAction(_: AccountFormState, form: FormData): Promise<AccountFormState> {
  return accountAction(form, async (user, ip) => {
    const email = text(form, "email");
    const result = await requestEmailChange(user, { email, password: text(form, "password") }, { ip });
    return result.ok ? { ok: `We sent a link to ${email.trim().toLowerCase()}. Your email changes when you open it.` } : refusal(result);
  });
}

export async function sendVerificationAction(_: AccountFormState, form: FormData): Promise<AccountFormState> {
  return accountAction(form, async (user, ip) => {
    const result = await requestEmailVerification(user, { ip });
    return result.ok ? { ok: `We sent a link to ${user.email}. Open it to confirm your email.` } : refusal(result);
  });
}

export async function deleteAccountAction(_: AccountFormState, form: FormData): Promise<AccountFormState> {
  const state = await accountAction(
    form,
    async (user, ip) => {
      await deleteAccount(user, { confirmEmail: text(form, "confirmEmail"), apps: text(form, "apps") as "hand_over" | "delete" }, { ip });
      return { ok: "deleted" };
    },
    ACCOUNT_DELETION,
  );
  if (state.ok !== "deleted") return state;
  await endSession();
  redirect("/sign-in?notice=account_deleted");
}
