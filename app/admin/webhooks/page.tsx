import type { Metadata } from "next";
import { signedText } from "@/lib/notices";
import { WebhookList } from "@/components/webhooks/webhook-list";
import { csrfToken } from "@/lib/auth/csrf";
import { requireAdmin } from "@/lib/auth/guards";
import { AUDIT_EVENT_LABELS } from "@/lib/events";
import { webhooksOf } from "@/lib/webhooks/webhooks";
import { AdminFrame } from "../admin-frame";

export const metadata: Metadata = { title: "Admin · Webhooks" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The portal's webhooks: every event of the audit log (or those chosen), for the operators' own systems. */
export default async function AdminWebhooksPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin("/admin/webhooks");
  const params = await searchParams;
  const [webhooks, csrf] = await Promise.all([webhooksOf({ clientId: null }), csrfToken()]);
  return (
    <AdminFrame user={admin} current="/admin/webhooks" params={{}}>
      <p className="mb-4 text-sm text-slate-600">
        Every event of the portal (or the ones you choose), sent as signed JSON (Standard Webhooks) to an HTTPS endpoint, retried for a day.
      </p>
      <WebhookList
        webhooks={webhooks}
        csrf={csrf}
        clientId={null}
        events={Object.keys(AUDIT_EVENT_LABELS)}
        notice={signedText(params, "webhook")}
      />
    </AdminFrame>
  );
}
