"use client";

import { useActionState } from "react";
import type { TokenFormState } from "@/app/admin/registration/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { CSRF_FIELD } from "@/lib/auth/csrf-field";

/** Creates an initial access token; the token is shown once, here. */
export function RegistrationTokenForm({
  action,
  csrf,
}: {
  action: (state: TokenFormState, form: FormData) => Promise<TokenFormState>;
  csrf: string;
}) {
  const [state, formAction, pending] = useActionState(action, { version: 0 });
  return (
    <div className="space-y-4">
      {state.created ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-4" data-testid="new-registration-token">
          <p className="text-sm font-medium text-amber-900">
            Copy the token now: this is the only time it is shown. Valid until {state.created.expiresAt}.
          </p>
          <div className="mt-2 flex items-center gap-2">
            <code className="break-all font-mono text-sm" data-testid="registration-token">
              {state.created.token}
            </code>
            <CopyButton value={state.created.token} label="Copy token" />
          </div>
        </div>
      ) : null}
      {state.message ? <Alert>{state.message}</Alert> : null}
      <form key={state.version} action={formAction} className="grid gap-3 sm:grid-cols-[1fr_8rem_8rem_auto] sm:items-end">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <Field label="Label" name="label" required autoComplete="off" placeholder="Partner X's agents" />
        <Field label="Uses" name="uses" type="number" min={1} defaultValue="1" />
        <Field label="Valid for (days)" name="days" type="number" min={1} defaultValue="7" />
        <Button type="submit" disabled={pending}>
          Create token
        </Button>
      </form>
    </div>
  );
}
