import { createWebhookAction, deleteWebhookAction, sendAgainAction } from "@/app/(dashboard)/dashboard/webhook-actions";
import { NewWebhookForm } from "@/components/webhooks/new-webhook-form";
import { Alert } from "@/components/ui/alert";
import { ConfirmField, confirmButtonClass, ConfirmStep } from "@/components/ui/confirm-step";
import { CSRF_FIELD } from "@/lib/auth/csrf-field";
import { eventLabel } from "@/lib/events";
import { formatTime } from "@/lib/format";
import type { webhooksOf } from "@/lib/webhooks/webhooks";

type Props = {
  webhooks: Awaited<ReturnType<typeof webhooksOf>>;
  csrf: string;
  clientId: string | null;
  events: readonly string[];
  notice?: string;
};

function deliveryState(delivery: Props["webhooks"][number]["deliveries"][number]): string {
  if (delivery.deliveredAt) return `Delivered (${delivery.lastStatus})`;
  if (delivery.failedAt)
    return `Given up after ${delivery.attempts} attempts${delivery.lastStatus ? ` (last answer ${delivery.lastStatus})` : ""}`;
  if (delivery.attempts > 0)
    return `Retrying at ${formatTime(delivery.nextAttemptAt)} (${delivery.lastStatus ? `answered ${delivery.lastStatus}` : (delivery.lastError ?? "no answer")})`;
  return "Waiting to be sent";
}

/** An app's or the portal's webhooks: each with its latest deliveries (status, answer, send again), and the form to add one. */
export function WebhookList({ webhooks, csrf, clientId, events, notice }: Props) {
  const hidden = (
    <>
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      <input type="hidden" name="clientId" value={clientId ?? ""} />
    </>
  );
  return (
    <div className="space-y-6">
      {notice ? <Alert tone="info">{notice}</Alert> : null}
      {webhooks.length > 0 ? (
        <ul className="space-y-4" aria-label="Webhooks">
          {webhooks.map((webhook) => (
            <li key={webhook.id} className="rounded-md border border-slate-200 p-3">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0 text-sm">
                  <code className="break-all font-mono">{webhook.url}</code>
                  <p className="text-slate-600">
                    {webhook.events === "*" ? "Every event" : webhook.events.split(" ").map(eventLabel).join(", ")}
                  </p>
                </div>
                <ConfirmStep
                  label={
                    <>
                      Delete<span className="sr-only"> webhook {webhook.url}</span>
                    </>
                  }
                  question="Events stop going to this endpoint, and its delivery log is deleted."
                >
                  <form action={deleteWebhookAction}>
                    {hidden}
                    <input type="hidden" name="webhookId" value={webhook.id} />
                    <ConfirmField />
                    <button type="submit" className={confirmButtonClass}>
                      Delete now<span className="sr-only"> webhook {webhook.url}</span>
                    </button>
                  </form>
                </ConfirmStep>
              </div>
              {webhook.deliveries.length === 0 ? (
                <p className="mt-2 text-sm text-slate-600">No deliveries yet.</p>
              ) : (
                <div className="mt-2 overflow-x-auto">
                  <table className="w-full text-left text-sm" aria-label={`Deliveries to ${webhook.url}`}>
                    <thead className="text-xs uppercase tracking-wide text-slate-500">
                      <tr>
                        <th scope="col" className="py-1 pr-3">
                          Time
                        </th>
                        <th scope="col" className="py-1 pr-3">
                          Event
                        </th>
                        <th scope="col" className="py-1 pr-3">
                          Status
                        </th>
                        <th scope="col" className="py-1">
                          <span className="sr-only">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {webhook.deliveries.map((delivery) => (
                        <tr key={delivery.id}>
                          <td className="whitespace-nowrap py-1 pr-3 text-slate-600">
                            {formatTime(delivery.createdAt, { seconds: true })}
                          </td>
                          <td className="py-1 pr-3">{eventLabel(delivery.eventType)}</td>
                          <td className="py-1 pr-3">{deliveryState(delivery)}</td>
                          <td className="py-1">
                            <form action={sendAgainAction}>
                              {hidden}
                              <input type="hidden" name="deliveryId" value={delivery.id} />
                              <button
                                type="submit"
                                className="rounded-md border border-slate-300 px-2 py-0.5 text-xs font-medium hover:bg-slate-50"
                              >
                                Send again<span className="sr-only"> {delivery.id}</span>
                              </button>
                            </form>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <NewWebhookForm
        action={createWebhookAction}
        csrf={csrf}
        clientId={clientId}
        events={events.map((type) => ({ type, label: eventLabel(type) }))}
      />
    </div>
  );
}
