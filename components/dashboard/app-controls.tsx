"use client";

import { useActionState } from "react";
import type { FormState } from "@/app/(dashboard)/dashboard/apps/actions";
import { DeleteByTyping } from "@/components/dashboard/delete-by-typing";
import { SecretOnce } from "@/components/dashboard/secret-once";
import { Alert } from "@/components/ui/alert";
import { ConfirmField, confirmButtonClass, ConfirmStep } from "@/components/ui/confirm-step";
import { CONFIRM_FIELD, CONFIRM_VALUE } from "@/lib/auth/confirm";
import { CSRF_FIELD } from "@/lib/auth/csrf-field";

type Action = (state: FormState, form: FormData) => Promise<FormState>;
type Common = { csrf: string; clientId: string };

const buttonClass =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand disabled:opacity-60";
const inputClass =
  "block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 aria-[invalid]:border-red-500";

function Hidden({ csrf, clientId }: Common) {
  return (
    <>
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      <input type="hidden" name="clientId" value={clientId} />
    </>
  );
}

/** The registered redirect URIs, each removable, and a field to add one. */
export function RedirectUris({ uris, add, remove, ...common }: Common & { uris: string[]; add: Action; remove: Action }) {
  const [added, addAction, adding] = useActionState(add, { version: 0 });
  const [removed, removeAction] = useActionState(remove, { version: 0 });
  const error = added.fieldErrors?.redirectUri;
  return (
    <div className="space-y-3">
      {removed.fieldErrors?.redirectUri ? <Alert>{removed.fieldErrors.redirectUri}</Alert> : null}
      {removed.message ? <Alert>{removed.message}</Alert> : null}
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200" aria-label="Registered redirect URIs">
        {uris.map((uri) => (
          <li key={uri} className="flex items-center justify-between gap-3 px-3 py-2">
            <code className="min-w-0 break-all font-mono text-sm">{uri}</code>
            <form action={removeAction}>
              <Hidden {...common} />
              <input type="hidden" name="redirectUri" value={uri} />
              <button type="submit" className={buttonClass}>
                Remove<span className="sr-only"> {uri}</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
      <form key={added.version} action={addAction} className="flex flex-col gap-2 sm:flex-row sm:items-start" noValidate>
        <Hidden {...common} />
        <div className="flex-1">
          <label htmlFor="new-redirect-uri" className="sr-only">
            New redirect URI
          </label>
          <input
            id="new-redirect-uri"
            name="redirectUri"
            placeholder="https://app.example.com/callback"
            defaultValue={error ? added.values?.redirectUri : ""}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "new-redirect-uri-error" : undefined}
            className={`${inputClass} font-mono`}
          />
          {error ? (
            <p id="new-redirect-uri-error" role="alert" className="mt-1 text-sm text-red-700">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" disabled={adding} className={buttonClass}>
          Add redirect URI
        </button>
      </form>
    </div>
  );
}

/**
 * Rotates the secret, now or after a grace period, and shows the new one
 * once. Rotating at once breaks every running integration, so it needs the
 * box ticked (checked by the action); the period chosen stays selected.
 */
export function RotateSecret({ rotate, ...common }: Common & { rotate: Action }) {
  const [state, action, pending] = useActionState(rotate, { version: 0 });
  return (
    <div className="space-y-3">
      {state.secret ? <SecretOnce secret={state.secret} /> : null}
      {state.message ? <Alert>{state.message}</Alert> : null}
      <form key={state.version} action={action} className="space-y-2">
        <Hidden {...common} />
        <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
          <div>
            <label htmlFor="graceSeconds" className="block text-sm font-medium text-slate-700">
              The old secret stops working
            </label>
            <select id="graceSeconds" name="graceSeconds" defaultValue={state.values?.graceSeconds ?? "0"} className={`${inputClass} mt-1`}>
              <option value="0">at once</option>
              <option value="3600">in 1 hour</option>
              <option value="86400">in 1 day</option>
              <option value="604800">in 7 days</option>
            </select>
          </div>
          <button type="submit" disabled={pending} className={buttonClass}>
            Rotate secret
          </button>
        </div>
        <label className="flex gap-2 text-sm text-slate-700">
          <input type="checkbox" name={CONFIRM_FIELD} value={CONFIRM_VALUE} className="mt-0.5" />
          <span>At once: I understand that every integration still using the current secret breaks now.</span>
        </label>
      </form>
    </div>
  );
}

/** Disable (after a confirmation step) or enable the app. */
export function DisableApp({ disabled, toggle, ...common }: Common & { disabled: boolean; toggle: Action }) {
  const [state, action, pending] = useActionState(toggle, { version: 0 });
  const form = (
    <form action={action}>
      <Hidden {...common} />
      <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
      <ConfirmField />
      <button type="submit" disabled={pending} className={disabled ? buttonClass : confirmButtonClass}>
        {disabled ? "Enable app" : "Disable the app now"}
      </button>
    </form>
  );
  return (
    <div className="space-y-2">
      {state.message ? <Alert>{state.message}</Alert> : null}
      <p className="text-sm text-slate-600">
        {disabled
          ? "The app is disabled: nobody can sign in to it and its tokens are refused."
          : "Disabling stops sign-ins and token requests at once and refuses every token the app holds."}
      </p>
      {disabled ? (
        form
      ) : (
        <ConfirmStep
          label="Disable app"
          question="Disable this app? People are signed out of it and its tokens stop working at once; you can enable it again later."
        >
          {form}
        </ConfirmStep>
      )}
    </div>
  );
}

/** Delete the app after typing its name. */
export function DeleteApp({ name, remove, csrf, clientId }: Common & { name: string; remove: Action }) {
  return (
    <DeleteByTyping remove={remove} csrf={csrf} hidden={{ clientId }} name={name} expected={name} field="confirmName">
      Deleting <strong className="font-medium text-slate-900">{name}</strong> removes it, every consent people gave it and every token it
      holds. This cannot be undone.
    </DeleteByTyping>
  );
}
