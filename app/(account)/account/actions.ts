"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { ZodError } from "zod";
import type { AccountFormState } from "@/components/account/action-form";
import { AccountRuleError, changePassword, deleteAccount, requestEmailChange, requestEmailVerification, updateName } from "@/lib/accounts/profile";
import { clientIp } from "@/lib/auth/client-ip";
import { actionUser, ActionRefused } from "@/lib/auth/guards";
import { formErrorMessage } from "@/lib/auth/messages";
import { currentSessionIdHash, endSession } from "@/lib/auth/session";
import type { User } from "@/lib/generated/prisma/client";

/** Runs an account change for the signed-in person, turning refusals into the message the form shows. */
async function accountAction(form: FormData, change: (user: User, ip: string) => Promise<AccountFormState>): Promise<AccountFormState> {
  try {
    const user = await actionUser(form);
    return await change(user, clientIp(await headers()));
  } catch (error) {
    if (error instanceof ActionRefused || error instanceof AccountRuleError) return { error: error.message };
    if (error instanceof ZodError) return { error: error.issues[0]?.message ?? formErrorMessage("invalid_input") };
    throw error;
  }
}

const text = (form: FormData, name: string) => String(form.get(name) ?? "");

/** A refusal of a check that can be retried, in words. */
function refusal(result: { ok: false; reason: string; retryAfterSeconds?: number }): AccountFormState {
  return { error: formErrorMessage(result.reason, result.retryAfterSeconds) ?? formErrorMessage("invalid_input") };
}

export async function updateNameAction(_: AccountFormState, form: FormData): Promise<AccountFormState> {
  return accountAction(form, async (user) => {
    await updateName(user, text(form, "name"));
    revalidatePath("/account");
    return { ok: "Your name was saved." };
  });
}

export async function changePasswordAction(_: AccountFormState, form: FormData): Promise<AccountFormState> {
  return accountAction(form, async (user, ip) => {
    const result = await changePassword(user, { current: text(form, "current"), next: text(form, "next"), keepSessionIdHash: (await currentSessionIdHash()) ?? "" }, { ip });
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
  const state = await accountAction(form, async (user, ip) => {
    await deleteAccount(user, { confirmEmail: text(form, "confirmEmail"), apps: text(form, "apps") as "hand_over" | "delete" }, { ip });
    return { ok: "deleted" };
  });
  if (state.ok !== "deleted") return state;
  await endSession();
  redirect("/sign-in?notice=account_deleted");
}
