import { ConfirmField, confirmButtonClass, ConfirmStep } from "@/components/ui/confirm-step";
import { listQueryOf, PageLinks } from "@/components/ui/page-links";
import type { Metadata } from "next";
import Link from "next/link";
import { searchClients } from "@/lib/admin";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { requireAdmin } from "@/lib/auth/guards";
import { addressOf, AdminFrame, AdminTable, cellClass, FilterForm, smallButton } from "../admin-frame";

export const metadata: Metadata = { title: "Admin · Apps" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminAppsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const admin = await requireAdmin(addressOf("/admin/apps", params, ["q", "before"]));
  const query = listQueryOf(params);
  const [{ rows: clients, nextBefore }, csrf] = await Promise.all([searchClients(query), csrfToken()]);
  const flagForm = (clientId: string, flag: "firstParty" | "disabled", value: boolean, label: string, confirmed = false) => (
    <form method="post" action="/admin/apps/flags">
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      <input type="hidden" name="clientId" value={clientId} />
      <input type="hidden" name="flag" value={flag} />
      <input type="hidden" name="value" value={String(value)} />
      {confirmed ? <ConfirmField /> : null}
      <button type="submit" className={confirmed ? confirmButtonClass : smallButton}>
        {label}
      </button>
    </form>
  );
  return (
    <AdminFrame user={admin} current="/admin/apps" params={params}>
      <FilterForm
        name="q"
        label="Search apps"
        value={query.search}
        placeholder="Start of a name or owner's email, or a client_id"
        button="Search"
      />
      <AdminTable label="All apps" columns={["App", "Owner", "First-party", "Status"]}>
        {clients.map((client) => (
          <tr key={client.id}>
            <td className={cellClass}>
              <Link href={`/dashboard/apps/${client.id}`} className="font-medium text-brand underline-offset-2 hover:underline">
                {client.name}
              </Link>
              <code className="block font-mono text-xs text-slate-500">{client.id}</code>
            </td>
            <td className={cellClass}>
              {client.owner?.email ??
                (client.registeredVia
                  ? `Registered itself (${client.registeredVia === "open" ? "open registration" : "initial access token"})`
                  : "—")}
            </td>
            <td className={cellClass}>
              <span className="mr-2">{client.isFirstParty ? "Yes" : "No"}</span>
              {flagForm(
                client.id,
                "firstParty",
                !client.isFirstParty,
                client.isFirstParty ? `Unmark ${client.name}` : `Mark ${client.name} first-party`,
              )}
            </td>
            <td className={cellClass}>
              <span className="mr-2">{client.disabledAt ? "Disabled" : "Active"}</span>
              {client.disabledAt ? (
                flagForm(client.id, "disabled", false, `Enable ${client.name}`)
              ) : (
                <ConfirmStep
                  label={`Disable ${client.name}`}
                  question={`Sign-ins and token requests of ${client.name} stop at once, and every token it holds is refused.`}
                >
                  {flagForm(client.id, "disabled", true, `Disable ${client.name} now`, true)}
                </ConfirmStep>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      {clients.length === 0 ? <p className="p-4 text-sm text-slate-600">No app matches.</p> : null}
      <PageLinks
        path="/admin/apps"
        query={new URLSearchParams(query.search ? { q: query.search } : {})}
        before={query.before}
        nextBefore={nextBefore}
        noun="apps"
      />
    </AdminFrame>
  );
}
