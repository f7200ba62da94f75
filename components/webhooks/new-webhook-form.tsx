"use client";

import { useActionState } from "react";
import type { WebhookFormState } from "@/app/(dashboard)/dashboard/webhook-actions";
import { CopyableValue } from "@/components/ui/copy-button";
import { Alert } from "@/components/ui/alert";
import { CSRF_FIELD } from "@/lib/auth/csrf-field";

type Props = {
  action: (state: WebhookFormState, form: FormData) => Promise<WebhookFormState>;
  csrf: string;
  clientId: string | null;
  events: { type: string; label: string }[];
};

/** Registers a webhook and shows its signing secret once. */
export function NewWebhookForm({ action, csrf, clientId, events }: Props) {
  const [state, formAction, pending] = useActionState(action, { version: 0 });
  return (
    <div className="space-y-3">
      {state.created ? (
        <section
          aria-labelledby="webhook-secret-heading"
          className="rounded-lg border border-amber-300 bg-amber-50 p-4"
          data-testid="webhook-secret"
        >
          <h3 id="webhook-secret-heading" className="font-semibold text-amber-900">
            Copy the signing secret now
          </h3>
          <p className="mt-1 text-sm text-amber-900">
            Your endpoint checks each delivery&apos;s webhook-signature with it (Standard Webhooks). It is shown only now.
          </p>
          <dl className="mt-3">
            <CopyableValue label="Signing secret" value={state.created.secret} testId="new-webhook-secret" />
          </dl>
        </section>
      ) : null}
      {state.message ? <Alert>{state.message}</Alert> : null}
      <form key={state.version} action={formAction} aria-label="Add a webhook" className="space-y-3">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <input type="hidden" name="clientId" value={clientId ?? ""} />
        <label className="block text-sm font-medium text-slate-700">
          Endpoint URL
          <input
            name="url"
            type="url"
            required
            placeholder="https://example.com/webhooks/portal"
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
          />
        </label>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Events</legend>
          <div className="mt-2 grid gap-1 text-sm sm:grid-cols-2">
            <label className="flex gap-2">
              <input type="checkbox" name="events" value="*" /> Every event
            </label>
            {events.map((event) => (
              <label key={event.type} className="flex gap-2">
                <input type="checkbox" name="events" value={event.type} /> {event.label}
              </label>
            ))}
          </div>
        </fieldset>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
        >
          Add webhook
        </button>
      </form>
    </div>
  );
}
