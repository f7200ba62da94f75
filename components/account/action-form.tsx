"use client";

import { useActionState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { CSRF_FIELD } from "@/lib/auth/csrf-field";

/** What an account form's server action answers: a message, an error, or recovery codes to show once. */
export type AccountFormState = { ok?: string; error?: string; codes?: string[] };

type Props = {
  action: (state: AccountFormState, form: FormData) => Promise<AccountFormState>;
  csrf: string;
  submitLabel: string;
  danger?: boolean;
  label: string;
  children?: ReactNode;
};

/** A form on the account pages: its answer appears above it, recovery codes below. Works without JavaScript too. */
export function AccountForm({ action, csrf, submitLabel, danger, label, children }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  // Recovery codes mean the form's work is done: show them alone, not the inputs that made them.
  if (state.codes) {
    return (
      <div className="space-y-3">
        {state.ok ? <Alert tone="info">{state.ok}</Alert> : null}
        <RecoveryCodes codes={state.codes} />
      </div>
    );
  }
  return (
    <form action={formAction} aria-label={label} className="space-y-3">
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      {state.error ? <Alert>{state.error}</Alert> : null}
      {state.ok ? <Alert tone="info">{state.ok}</Alert> : null}
      {children}
      <button
        type="submit"
        disabled={pending}
        className={`rounded-md px-3 py-2 text-sm font-semibold shadow-sm disabled:opacity-60 ${danger ? "bg-red-600 text-white hover:bg-red-700" : "border border-slate-300 bg-white text-slate-900 hover:bg-slate-50"}`}
      >
        {pending ? "Please wait…" : submitLabel}
      </button>
    </form>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <section
      aria-labelledby="recovery-codes-heading"
      className="rounded-lg border border-amber-300 bg-amber-50 p-4"
      data-testid="recovery-codes"
    >
      <h3 id="recovery-codes-heading" className="font-semibold text-amber-900">
        Save your recovery codes now
      </h3>
      <p className="mt-1 text-sm text-amber-900">
        Each works once, in place of a code from your app, if you lose your phone. They are shown only now.
      </p>
      <ul className="mt-3 grid grid-cols-2 gap-1 font-mono text-sm">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
    </section>
  );
}
