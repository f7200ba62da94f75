"use server";

import { revalidatePath } from "next/cache";
import { ZodError } from "zod";
import { createRegistrationToken } from "@/lib/admin";
import { ActionRefused, actionUser } from "@/lib/auth/guards";

export type TokenFormState = { version: number; message?: string; created?: { token: string; expiresAt: string } };

/** Creates an initial access token and shows it once (never in a URL). */
export async function createRegistrationTokenAction(previous: TokenFormState, form: FormData): Promise<TokenFormState> {
  try {
    const admin = await actionUser(form);
    if (!admin.isAdmin) throw new ActionRefused("Administrators only.");
    const { token, expiresAt } = await createRegistrationToken(
      { label: String(form.get("label") ?? ""), uses: String(form.get("uses") ?? ""), days: String(form.get("days") ?? "") },
      admin,
    );
    revalidatePath("/admin/registration");
    return { version: previous.version + 1, created: { token, expiresAt: expiresAt.toISOString() } };
  } catch (error) {
    if (error instanceof ActionRefused) return { version: previous.version + 1, message: error.message };
    if (error instanceof ZodError) return { version: previous.version + 1, message: error.issues.map((issue) => issue.message).join(". ") };
    throw error;
  }
}
