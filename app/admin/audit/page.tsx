import type { Metadata } from "next";
import { EventList, eventFilterOf } from "@/components/event-list";
import { requireAdmin } from "@/lib/auth/guards";
import { listEvents } from "@/lib/events";
import { addressOf, AdminFrame } from "../admin-frame";

export const metadata: Metadata = { title: "Admin · Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminAuditPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const admin = await requireAdmin(addressOf("/admin/audit", params, ["type", "failures", "q", "before"]));
  const filter = eventFilterOf(params);
  const page = await listEvents({ ...filter, limit: 100 });
  return (
    <AdminFrame user={admin} current="/admin/audit" params={{}}>
      <EventList page={page} filter={filter} path="/admin/audit" label="Audit log" showApp />
    </AdminFrame>
  );
}
