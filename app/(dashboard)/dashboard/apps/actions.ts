"use server";

import { signedParam } from "@/lib/notices";
import { isConfirmed, NOT_CONFIRMED } from "@/lib/auth/confirm";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { ActionRefused, actionUser } from "@/lib/auth/guards";
import { appFormValues, clientChangesOf, nonEmptyLines, type AppFormValues } from "@/lib/oauth/client-form";
import {
  addRedirectUri,
  deleteClient,
  findManagedClient,
  registerClient,
  removeRedirectUri,
  rotateClientSecret,
  setClientDisabled,
  updateClient,
} from "@/lib/oauth/clients";
import { ValidationError } from "@/lib/oauth/errors";

export type FormState = {
  /** Changes on every answer, so the form re-mounts with the kept values. */
  version: number;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Partial<AppFormValues> & { redirectUri?: string; graceSeconds?: string };
  /** Shown once: a new app's credentials or a rotated secret. */
  created?: { clientId: string; clientSecret?: string; name: string };
  secret?: string;
  saved?: boolean;
};

function failure(previous: FormState, error: unknown, values: FormState["values"]): FormState {
  if (error instanceof ValidationError) {
    return {
      version: previous.version + 1,
      message: "Check the highlighted fields and try again.",
      fieldErrors: error.fieldErrors,
      values,
    };
  }
  if (error instanceof ActionRefused) return { version: previous.version + 1, message: error.message, values };
  throw error;
}

/** The app, when the person signed in owns it (or is an admin); otherwise the request is refused. */
async function managedApp(form: FormData) {
  const user = await actionUser(form);
  const client = await findManagedClient(String(form.get("clientId") ?? ""), user);
  if (!client) throw new ActionRefused("This app does not exist or is not yours.");
  return { user, client };
}

export async function createAppAction(previous: FormState, form: FormData): Promise<FormState> {
  const values = appFormValues(form);
  try {
    const user = await actionUser(form);
    const { client, clientSecret } = await registerClient({
      ...clientChangesOf(values),
      redirectUris: nonEmptyLines(values.redirectUris),
      ownerId: user.id,
    });
    return { version: previous.version + 1, created: { clientId: client.id, clientSecret, name: client.name } };
  } catch (error) {
    return failure(previous, error, values);
  }
}

export async function updateAppAction(previous: FormState, form: FormData): Promise<FormState> {
  const values = appFormValues(form);
  try {
    const { user, client } = await managedApp(form);
    const { clientSecret } = await updateClient(client, clientChangesOf(values), user.id);
    revalidatePath(`/dashboard/apps/${client.id}`);
    return { version: previous.version + 1, saved: true, values, secret: clientSecret };
  } catch (error) {
    return failure(previous, error, values);
  }
}

export async function addRedirectUriAction(previous: FormState, form: FormData): Promise<FormState> {
  const redirectUri = String(form.get("redirectUri") ?? "");
  try {
    const { user, client } = await managedApp(form);
    await addRedirectUri(client, redirectUri, user.id);
    revalidatePath(`/dashboard/apps/${client.id}`);
    return { version: previous.version + 1, saved: true };
  } catch (error) {
    return failure(previous, error, { redirectUri });
  }
}

export async function removeRedirectUriAction(previous: FormState, form: FormData): Promise<FormState> {
  try {
    const { user, client } = await managedApp(form);
    await removeRedirectUri(client, String(form.get("redirectUri") ?? ""), user.id);
    revalidatePath(`/dashboard/apps/${client.id}`);
    return { version: previous.version + 1, saved: true };
  } catch (error) {
    return failure(previous, error, {});
  }
}

export async function rotateSecretAction(previous: FormState, form: FormData): Promise<FormState> {
  try {
    const { user, client } = await managedApp(form);
    const graceSeconds = Number(form.get("graceSeconds") ?? 0);
    const values = { graceSeconds: String(graceSeconds) };
    if (graceSeconds === 0 && !isConfirmed(form)) {
      return {
        version: previous.version + 1,
        message: "Rotating at once stops the old secret now: tick the box to confirm, or choose a grace period.",
        values,
      };
    }
    const secret = await rotateClientSecret(client, graceSeconds, user.id);
    revalidatePath(`/dashboard/apps/${client.id}`);
    return { version: previous.version + 1, secret, values };
  } catch (error) {
    return failure(previous, error, {});
  }
}

export async function setDisabledAction(previous: FormState, form: FormData): Promise<FormState> {
  try {
    const { user, client } = await managedApp(form);
    const disabling = form.get("disabled") === "true";
    if (disabling && !isConfirmed(form)) return { version: previous.version + 1, message: NOT_CONFIRMED };
    await setClientDisabled(client, disabling, user.id);
    revalidatePath(`/dashboard/apps/${client.id}`);
    return { version: previous.version + 1, saved: true };
  } catch (error) {
    return failure(previous, error, {});
  }
}

export async function deleteAppAction(previous: FormState, form: FormData): Promise<FormState> {
  const confirmation = String(form.get("confirmName") ?? "");
  let deletedName: string;
  try {
    const { user, client } = await managedApp(form);
    if (confirmation.trim() !== client.name) {
      return { version: previous.version + 1, fieldErrors: { confirmName: `Type the app's name, ${client.name}, to delete it.` } };
    }
    await deleteClient(client, user.id);
    deletedName = client.name;
  } catch (error) {
    return failure(previous, error, {});
  }
  redirect(`/dashboard/apps?${signedParam("deleted", deletedName)}`);
}
