"use server";

import { signedParam } from "@/lib/notices";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { ZodError } from "zod";
import { actionUser, ActionRefused } from "@/lib/auth/guards";
import { isConfirmed, NOT_CONFIRMED } from "@/lib/auth/confirm";
import type { User } from "@/lib/generated/prisma/client";
import { findManagedClient } from "@/lib/oauth/clients";
import { deleteWebhook, registerWebhook, sendAgain, WebhookRuleError, type Scope } from "@/lib/webhooks/webhooks";

export type WebhookFormState = { version: number; message?: string; created?: { url: string; secret: string } };

/** Whose webhooks the form manages: an app's (its owner or an admin), or the portal's (admins only); and the page to go back to. */
async function scopeOf(form: FormData): Promise<{ user: User; scope: Scope; page: string }> {
  const user = await actionUser(form);
  const clientId = String(form.get("clientId") ?? "");
  if (clientId) {
    if (!(await findManagedClient(clientId, user))) throw new ActionRefused("This app does not exist or is not yours.");
    return { user, scope: { clientId }, page: `/dashboard/apps/${clientId}` };
  }
  if (!user.isAdmin) throw new ActionRefused("Administrators only.");
  return { user, scope: { clientId: null }, page: "/admin/webhooks" };
}

export async function createWebhookAction(previous: WebhookFormState, form: FormData): Promise<WebhookFormState> {
  try {
    const { user, scope, page } = await scopeOf(form);
    const { webhook, secret } = await registerWebhook(
      { url: String(form.get("url") ?? ""), events: form.getAll("events").map(String) },
      scope,
      user.id,
    );
    revalidatePath(page);
    return { version: previous.version + 1, created: { url: webhook.url, secret } };
  } catch (error) {
    if (error instanceof ActionRefused || error instanceof WebhookRuleError)
      return { version: previous.version + 1, message: error.message };
    if (error instanceof ZodError) return { version: previous.version + 1, message: error.issues.map((issue) => issue.message).join(". ") };
    throw error;
  }
}

async function afterChange(form: FormData, change: (scope: Scope) => Promise<void>, notice: string): Promise<void> {
  let target: string;
  try {
    const { scope, page } = await scopeOf(form);
    await change(scope);
    target = `${page}?${signedParam("webhook", notice)}#webhooks`;
  } catch (error) {
    if (!(error instanceof ActionRefused || error instanceof WebhookRuleError)) throw error;
    const clientId = String(form.get("clientId") ?? "");
    target = `${clientId ? `/dashboard/apps/${clientId}` : "/admin/webhooks"}?${signedParam("webhook", error.message)}#webhooks`;
  }
  redirect(target);
}

export async function deleteWebhookAction(form: FormData): Promise<void> {
  await afterChange(
    form,
    async (scope) => {
      if (!isConfirmed(form)) throw new ActionRefused(NOT_CONFIRMED);
      await deleteWebhook(scope, String(form.get("webhookId") ?? ""));
    },
    "The webhook was deleted.",
  );
}

export async function sendAgainAction(form: FormData): Promise<void> {
  await afterChange(
    form,
    (scope) => sendAgain(scope, String(form.get("deliveryId") ?? "")),
    "The delivery will be sent again in a moment.",
  );
}
