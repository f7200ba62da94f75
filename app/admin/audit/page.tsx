import type { Metadata } from "next";
import { requireAdmin } from "@/lib/auth/guards";
import { listEvents } from "@/lib/events";
import { AdminFrame, cellClass, tableClass } from "../admin-frame";

export const metadata: Metadata = { title: "Admin · Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "medium" });

export default async function AdminAuditPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin("/admin/audit");
  const params = await searchParams;
  const type = typeof params.type === "string" && /^[a-z_.]{1,60}$/.test(params.type) ? params.type : undefined;
  const events = await listEvents({ type, limit: 200 });
  return (
    <AdminFrame user={admin} current="/admin/audit" params={params}>
      <form method="get" className="mb-4 flex gap-2">
        <label htmlFor="type" className="sr-only">
          Event type
        </label>
        <input id="type" name="type" defaultValue={type ?? ""} placeholder="Event type, e.g. token.issued" className="w-full max-w-sm rounded-md border border-slate-300 px-3 py-2 font-mono text-sm" />
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50">
          Filter
        </button>
      </form>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-4">
        <table className={tableClass} aria-label="Audit log">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className={cellClass}>Time</th>
              <th scope="col" className={cellClass}>Event</th>
              <th scope="col" className={cellClass}>Person</th>
              <th scope="col" className={cellClass}>App</th>
              <th scope="col" className={cellClass}>Address</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {events.map((event) => (
              <tr key={event.id}>
                <td className={`${cellClass} whitespace-nowrap text-slate-600`}>{when.format(event.createdAt)}</td>
                <td className={`${cellClass} font-mono text-xs`}>{event.type}</td>
                <td className={cellClass}>{event.userEmail ?? "—"}</td>
                <td className={`${cellClass} font-mono text-xs`}>{event.clientId ?? "—"}</td>
                <td className={`${cellClass} font-mono text-xs`}>{event.ip ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </AdminFrame>
  );
}
