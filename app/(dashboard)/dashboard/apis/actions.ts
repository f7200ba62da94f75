"use server";

import { signedParam } from "@/lib/notices";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { ActionRefused, actionUser } from "@/lib/auth/guards";
import { apiChangesOf, apiFormValues, type ApiFormValues } from "@/lib/oauth/api-form";
import { deleteApi, findManagedApi, registerApi, updateApi } from "@/lib/oauth/apis";
import { ClientGrantError, giveClientGrant, removeClientGrant } from "@/lib/oauth/client-grants";
import { ValidationError } from "@/lib/oauth/errors";

export type ApiFormState = {
  /** Changes on every answer, so the form re-mounts with the kept values. */
  version: number;
  message?: string;
  fieldErrors?: Record<string, string>;
  values?: Partial<ApiFormValues> & { grantClientId?: string };
  saved?: boolean;
};

function failure(previous: ApiFormState, error: unknown, values: ApiFormState["values"]): ApiFormState {
  if (error instanceof ValidationError) {
    return { version: previous.version + 1, message: error.issues.join(" "), fieldErrors: error.fieldErrors, values };
  }
  if (error instanceof ClientGrantError) return { version: previous.version + 1, message: error.description, values };
  if (error instanceof ActionRefused) return { version: previous.version + 1, message: error.message, values };
  throw error;
}

/** The API, when the person signed in may manage it; otherwise the request is refused. */
async function managedApi(form: FormData) {
  const user = await actionUser(form);
  const api = await findManagedApi(String(form.get("apiId") ?? ""), user);
  if (!api) throw new ActionRefused("This API does not exist or is not yours.");
  return { user, api };
}

export async function createApiAction(previous: ApiFormState, form: FormData): Promise<ApiFormState> {
  const values = apiFormValues(form);
  let id: string;
  try {
    const user = await actionUser(form);
    id = (await registerApi({ ...apiChangesOf(values), identifier: values.identifier }, user.id)).id;
  } catch (error) {
    return failure(previous, error, values);
  }
  redirect(`/dashboard/apis/${id}?created=1`);
}

export async function updateApiAction(previous: ApiFormState, form: FormData): Promise<ApiFormState> {
  const values = apiFormValues(form);
  try {
    const { user, api } = await managedApi(form);
    await updateApi(api, apiChangesOf(values, api), user.id);
    revalidatePath(`/dashboard/apis/${api.id}`);
    return { version: previous.version + 1, saved: true, values };
  } catch (error) {
    return failure(previous, error, values);
  }
}

export async function deleteApiAction(previous: ApiFormState, form: FormData): Promise<ApiFormState> {
  const confirmation = String(form.get("confirmIdentifier") ?? "");
  let deletedName: string;
  try {
    const { user, api } = await managedApi(form);
    if (confirmation.trim() !== api.identifier) {
      return {
        version: previous.version + 1,
        fieldErrors: { confirmIdentifier: `Type the API's identifier, ${api.identifier}, to delete it.` },
      };
    }
    await deleteApi(api, user.id);
    deletedName = api.name;
  } catch (error) {
    return failure(previous, error, {});
  }
  redirect(`/dashboard/apis?${signedParam("deleted", deletedName)}`);
}

/** Machine access: the API's owner (or an admin) lets an app get client-credentials tokens for it, with the scopes ticked. */
export async function giveClientGrantAction(previous: ApiFormState, form: FormData): Promise<ApiFormState> {
  const clientId = String(form.get("grantClientId") ?? "");
  try {
    const { user, api } = await managedApi(form);
    await giveClientGrant(api, clientId, form.getAll("grantScopes").map(String), user);
    revalidatePath(`/dashboard/apis/${api.id}`);
    return { version: previous.version + 1, saved: true };
  } catch (error) {
    return failure(previous, error, { grantClientId: clientId });
  }
}

export async function removeClientGrantAction(previous: ApiFormState, form: FormData): Promise<ApiFormState> {
  try {
    const { user, api } = await managedApi(form);
    await removeClientGrant(api, String(form.get("grantClientId") ?? ""), user);
    revalidatePath(`/dashboard/apis/${api.id}`);
    return { version: previous.version + 1 };
  } catch (error) {
    return failure(previous, error, {});
  }
}
