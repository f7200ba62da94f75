"use server";

import { signedParam } from "@/lib/notices";
import { redirect } from "next/navigation";
import { revokeConnection } from "@/lib/accounts/connections";
import { isConfirmed, NOT_CONFIRMED } from "@/lib/auth/confirm";
import { ACCOUNT_STEPS, actionUser, ActionRefused } from "@/lib/auth/guards";

/** "Revoke access" for one app. */
export async function revokeConnectionAction(form: FormData): Promise<void> {
  let outcome: string;
  try {
    const user = await actionUser(form, ACCOUNT_STEPS);
    if (!isConfirmed(form)) throw new ActionRefused(NOT_CONFIRMED);
    const clientId = String(form.get("clientId") ?? "");
    outcome =
      (await revokeConnection(user.id, clientId)) > 0
        ? signedParam("revoked", String(form.get("clientName") ?? "the app"))
        : "error=not_found";
  } catch (error) {
    if (!(error instanceof ActionRefused)) throw error;
    outcome = "error=csrf";
  }
  redirect(`/account/connections?${outcome}`);
}
