"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { actionUser } from "@/lib/auth/guards";
import { endMyOtherSessions } from "@/lib/auth/session";

/** Ends one other session (by the id the list shows), or every other one. */
export async function endSessionsAction(form: FormData): Promise<void> {
  await actionUser(form);
  const only = form.get("session");
  const ended = await endMyOtherSessions(typeof only === "string" && only !== "" ? only : undefined);
  revalidatePath("/account/sessions");
  redirect(`/account/sessions?ended=${ended}`);
}
