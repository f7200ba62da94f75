"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { ACCOUNT_STEPS, actionUser } from "@/lib/auth/guards";
import { endMyOtherSessions } from "@/lib/auth/session";
import { endAppTokensOf } from "@/lib/accounts/connections";

/** Ends one other session (by the id the list shows), or every other one. */
export async function endSessionsAction(form: FormData): Promise<void> {
  const user = await actionUser(form, ACCOUNT_STEPS);
  const only = form.get("session");
  const one = typeof only === "string" && only !== "" ? only : undefined;
  const ended = await endMyOtherSessions(one);
  // "Sign out everywhere else" also ends what the apps hold: a stolen token is one more place.
  if (!one) await endAppTokensOf(user.id, "signed_out_everywhere");
  revalidatePath("/account/sessions");
  redirect(`/account/sessions?ended=${ended}`);
}
