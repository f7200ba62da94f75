"use client";

import { useActionState } from "react";
import type { ApiFormState } from "@/app/(dashboard)/dashboard/apis/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextArea } from "@/components/ui/field";
import { DeleteByTyping } from "@/components/dashboard/delete-by-typing";
import { CSRF_FIELD } from "@/lib/auth/csrf-field";
import type { ApiFormValues } from "@/lib/oauth/api-form";

type Action = (state: ApiFormState, form: FormData) => Promise<ApiFormState>;

function Check({ name, label, hint, checked }: { name: keyof ApiFormValues; label: string; hint: string; checked: boolean }) {
  return (
    <label className="flex gap-2 text-sm">
      <input type="checkbox" name={name} defaultChecked={checked} className="mt-0.5" />
      <span>
        <span className="font-medium text-slate-900">{label}</span> <span className="text-slate-600">{hint}</span>
      </span>
    </label>
  );
}

/**
 * Registers or edits an API. A server action answers; without JavaScript the
 * page re-renders with the same state. Errors stay beside the fields.
 */
export function ApiForm({
  mode,
  action,
  csrf,
  apiId,
  initial,
  isPortal,
}: {
  mode: "create" | "edit";
  action: Action;
  csrf: string;
  apiId?: string;
  initial: ApiFormValues;
  isPortal?: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, { version: 0 });
  const values = { ...initial, ...state.values };
  const errors = state.fieldErrors ?? {};
  return (
    <form key={state.version} action={formAction} className="space-y-6" noValidate>
      {state.message ? <Alert>{state.message}</Alert> : null}
      {state.saved ? <Alert tone="info">Saved.</Alert> : null}
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      {apiId ? <input type="hidden" name="apiId" value={apiId} /> : null}

      <Field
        label="Name"
        name="name"
        defaultValue={values.name}
        error={errors.name}
        required
        autoComplete="off"
        hint="Shown on the consent screen above this API's scopes."
      />
      {mode === "create" ? (
        <Field
          label="Identifier"
          name="identifier"
          defaultValue={values.identifier}
          error={errors.identifier}
          required
          autoComplete="off"
          placeholder="https://api.example.com or appointments:api"
          hint="Apps send it as audience (or resource); tokens carry it as aud. It cannot be changed later."
        />
      ) : null}

      <TextArea
        label="Scopes"
        name="scopes"
        rows={5}
        defaultValue={values.scopes}
        error={errors.scopes}
        placeholder={"appointments Read and book your appointments\ncontacts See your contacts"}
        hint={`One per line: the scope, a space, then the sentence people read on the consent screen.${isPortal ? " openid, profile, email and offline_access are edited on the admin's Scopes page." : ""}`}
      />

      <Field
        label="Access-token lifetime (seconds)"
        name="accessTokenTtl"
        type="number"
        min={60}
        max={86400}
        defaultValue={values.accessTokenTtl}
        error={errors.accessTokenTtl}
        hint="Blank: the portal's default (ACCESS_TOKEN_TTL)."
      />

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Settings</legend>
        <Check
          name="allowSkipConsent"
          label="Allow skipping consent for first-party apps."
          hint="Apps an admin marked first-party get tokens without the consent screen."
          checked={values.allowSkipConsent}
        />
        <Check
          name="allowOfflineAccess"
          label="Allow offline access."
          hint="Apps with the refresh token grant may get refresh tokens for this API."
          checked={values.allowOfflineAccess}
        />
        <Check
          name="offlineAccessScopeRequired"
          label="Only when offline_access is asked for."
          hint="A refresh token only for requests whose scope includes offline_access (OpenID Connect Core §11)."
          checked={values.offlineAccessScopeRequired}
        />
      </fieldset>

      <div className="max-w-xs">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : mode === "create" ? "Register API" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}

/** Delete the API after typing its identifier. */
export function DeleteApi({
  apiId,
  identifier,
  name,
  csrf,
  remove,
}: {
  apiId: string;
  identifier: string;
  name: string;
  csrf: string;
  remove: Action;
}) {
  return (
    <DeleteByTyping remove={remove} csrf={csrf} hidden={{ apiId }} name={name} expected={identifier} field="confirmIdentifier">
      Deleting <strong className="font-medium text-slate-900">{name}</strong> removes its scopes and every consent and refresh token issued
      for it; apps asking for it get invalid_target. This cannot be undone.
    </DeleteByTyping>
  );
}
