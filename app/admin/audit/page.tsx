import type { Metadata } from "next";
import { requireAdmin } from "@/lib/auth/guards";
import { listEvents } from "@/lib/events";
import { AdminFrame, AdminTable, cellClass, FilterForm } from "../admin-frame";

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
      <FilterForm name="type" label="Event type" value={type ?? ""} placeholder="Event type, e.g. token.issued" button="Filter" mono />
      <AdminTable label="Audit log" columns={["Time", "Event", "Person", "App", "Address"]}>
        {events.map((event) => (
          <tr key={event.id}>
            <td className={`${cellClass} whitespace-nowrap text-slate-600`}>{when.format(event.createdAt)}</td>
            <td className={`${cellClass} font-mono text-xs`}>{event.type}</td>
            <td className={cellClass}>{event.userEmail ?? "—"}</td>
            <td className={`${cellClass} font-mono text-xs`}>{event.clientId ?? "—"}</td>
            <td className={`${cellClass} font-mono text-xs`}>{event.ip ?? "—"}</td>
          </tr>
        ))}
      </AdminTable>
    </AdminFrame>
  );
}
