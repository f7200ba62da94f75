"use client";

import { useActionState } from "react";
import type { ApiFormState } from "@/app/(dashboard)/dashboard/apis/actions";
import { Alert } from "@/components/ui/alert";
import { CSRF_FIELD } from "@/lib/auth/csrf-field";

type Action = (state: ApiFormState, form: FormData) => Promise<ApiFormState>;

export type GrantItem = { clientId: string; appName: string; scopes: string[]; grantedBy: string | null; giverCanGive: boolean };

const buttonClass =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-brand disabled:opacity-60";

/** The apps an API lets obtain client-credentials tokens, each removable, and a form to authorize one more (or change one's scopes). */
export function ClientGrants(props: {
  apiId: string;
  csrf: string;
  grants: GrantItem[];
  scopes: { name: string; description: string }[];
  give: Action;
  remove: Action;
}) {
  const [given, giveAction, giving] = useActionState(props.give, { version: 0 });
  const [removed, removeAction] = useActionState(props.remove, { version: 0 });
  const hidden = (
    <>
      <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
      <input type="hidden" name="apiId" value={props.apiId} />
    </>
  );
  return (
    <div className="space-y-4">
      {removed.message ? <Alert>{removed.message}</Alert> : null}
      {props.grants.length === 0 ? (
        <p className="text-sm text-slate-600">No app may get client-credentials tokens for this API yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200" aria-label="Apps with machine access">
          {props.grants.map((grant) => (
            <li key={grant.clientId} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2 text-sm">
              <span className="min-w-0">
                <span className="font-medium text-slate-900">{grant.appName}</span>{" "}
                <code className="break-all font-mono text-xs text-slate-600">{grant.clientId}</code>
                <span className="block text-slate-700">{grant.scopes.length > 0 ? grant.scopes.join(" ") : "no scopes"}</span>
                <span className="block text-xs text-slate-500">
                  Given by {grant.grantedBy ?? "a deleted account"}
                  {grant.giverCanGive ? "" : ": no longer able to give it, so it has no effect until authorized again"}
                </span>
              </span>
              <form action={removeAction}>
                {hidden}
                <input type="hidden" name="grantClientId" value={grant.clientId} />
                <button type="submit" className={buttonClass}>
                  Remove<span className="sr-only"> {grant.appName}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form key={given.version} action={giveAction} className="space-y-3" noValidate>
        {hidden}
        {given.message ? <Alert>{given.message}</Alert> : null}
        {given.saved ? <Alert tone="info">Saved.</Alert> : null}
        <div className="space-y-1">
          <label htmlFor="grant-client-id" className="block text-sm font-medium text-slate-700">
            Client ID of the app
          </label>
          <input
            id="grant-client-id"
            name="grantClientId"
            required
            autoComplete="off"
            defaultValue={given.message ? given.values?.grantClientId : ""}
            className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
          />
        </div>
        {props.scopes.length > 0 ? (
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">Scopes it may get</legend>
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              {props.scopes.map((scope) => (
                <label key={scope.name} className="flex gap-2 text-sm">
                  <input type="checkbox" name="grantScopes" value={scope.name} className="mt-0.5" />
                  <span>
                    <code className="font-mono text-slate-900">{scope.name}</code>{" "}
                    <span className="text-slate-600">{scope.description}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        <button type="submit" disabled={giving} className={buttonClass}>
          Authorize app
        </button>
      </form>
    </div>
  );
}
