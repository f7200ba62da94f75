import type { Metadata } from "next";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { requireAdmin } from "@/lib/auth/guards";
import { listPortalScopes } from "@/lib/admin";
import { AdminFrame, smallButton } from "../admin-frame";

export const metadata: Metadata = { title: "Admin · Scopes" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const KINDS = [
  ["user", "People only (authorization code)"],
  ["client", "Apps only (client credentials)"],
  ["any", "Both"],
] as const;

const input = "rounded-md border border-slate-300 px-3 py-2 text-sm";

function KindSelect({ id, value }: { id: string; value: string }) {
  return (
    <select id={id} name="tokenKind" defaultValue={value} className={input}>
      {KINDS.map(([kind, label]) => (
        <option key={kind} value={kind}>
          {label}
        </option>
      ))}
    </select>
  );
}

export default async function AdminScopesPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin("/admin/scopes");
  const [scopes, csrf] = await Promise.all([listPortalScopes(), csrfToken()]);
  return (
    <AdminFrame user={admin} current="/admin/scopes" params={await searchParams}>
      <p className="mb-4 text-sm text-slate-600">The description is the sentence people read on the consent screen.</p>
      <ul className="space-y-3" aria-label="Scopes">
        {scopes.map((scope) => (
          <li key={scope.name} className="rounded-lg border border-slate-200 bg-white p-4">
            <form method="post" action="/admin/scopes/save" className="flex flex-col gap-2 sm:flex-row sm:items-end">
              <input type="hidden" name={CSRF_FIELD} value={csrf} />
              <input type="hidden" name="mode" value="edit" />
              <input type="hidden" name="name" value={scope.name} />
              <code className="w-40 shrink-0 font-mono text-sm font-semibold">{scope.name}</code>
              <div className="flex-1">
                <label htmlFor={`description-${scope.name}`} className="sr-only">
                  Description of {scope.name}
                </label>
                <input id={`description-${scope.name}`} name="description" defaultValue={scope.description} className={`${input} w-full`} />
              </div>
              <label htmlFor={`kind-${scope.name}`} className="sr-only">
                Who {scope.name} is for
              </label>
              <KindSelect id={`kind-${scope.name}`} value={scope.tokenKind} />
              <button type="submit" className={smallButton}>
                Save<span className="sr-only"> {scope.name}</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
      <section aria-labelledby="new-scope" className="mt-6 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="new-scope" className="font-semibold">
          Add a scope
        </h2>
        <form method="post" action="/admin/scopes/save" className="mt-3 grid gap-3 sm:grid-cols-[12rem_1fr_auto_auto] sm:items-end">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <input type="hidden" name="mode" value="create" />
          <div>
            <label htmlFor="new-name" className="block text-sm font-medium text-slate-700">
              Name
            </label>
            <input id="new-name" name="name" placeholder="reports.read" className={`${input} mt-1 w-full font-mono`} />
          </div>
          <div>
            <label htmlFor="new-description" className="block text-sm font-medium text-slate-700">
              Description
            </label>
            <input id="new-description" name="description" placeholder="See your reports" className={`${input} mt-1 w-full`} />
          </div>
          <div>
            <label htmlFor="new-kind" className="block text-sm font-medium text-slate-700">
              For
            </label>
            <KindSelect id="new-kind" value="user" />
          </div>
          <button type="submit" className="rounded-md bg-brand px-4 py-2 text-sm font-semibold text-brand-foreground hover:opacity-90">
            Add scope
          </button>
        </form>
      </section>
    </AdminFrame>
  );
}
