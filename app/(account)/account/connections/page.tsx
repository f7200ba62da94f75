import { ConfirmField, confirmButtonClass, ConfirmStep } from "@/components/ui/confirm-step";
import { signedText } from "@/lib/notices";
import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { Alert } from "@/components/ui/alert";
import { listConnections } from "@/lib/accounts/connections";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { requireUser } from "@/lib/auth/guards";
import { revokeConnectionAction } from "./actions";

export const metadata: Metadata = { title: "Connected apps" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

export default async function ConnectionsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser("/account/connections");
  const params = await searchParams;
  const [grants, csrf] = await Promise.all([listConnections(user.id), csrfToken()]);
  // One entry per app: its grants for several APIs are revoked together.
  const byApp = new Map<string, typeof grants>();
  for (const grant of grants) byApp.set(grant.client.id, [...(byApp.get(grant.client.id) ?? []), grant]);
  const connections = [...byApp.values()].map((appGrants) => ({ ...appGrants[0]!, grants: appGrants }));

  return (
    <AppShell user={user} current="connections">
      <h1 className="text-2xl font-semibold tracking-tight">Connected apps</h1>
      <p className="mt-1 text-sm text-slate-600">
        Apps you have allowed to use your account. Revoking access signs the app out everywhere; it will have to ask again.
      </p>
      <div className="mt-4 space-y-2">
        {signedText(params, "revoked") ? <Alert tone="info">Access for {signedText(params, "revoked")} was revoked.</Alert> : null}
        {params.error === "csrf" ? <Alert>This form expired. Reload the page and try again.</Alert> : null}
      </div>
      {connections.length === 0 ? (
        <p className="mt-8 rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600">
          You have not connected any apps yet.
        </p>
      ) : (
        <ul className="mt-6 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" aria-label="Connected apps">
          {connections.map((connection) => (
            <li key={connection.id} className="flex flex-col gap-3 p-4 sm:flex-row sm:items-start sm:justify-between">
              <div>
                <h2 className="font-medium text-slate-900">{connection.client.name}</h2>
                <p className="text-xs text-slate-500">Allowed on {dateFormat.format(connection.createdAt)}</p>
                {connection.grants.map((grant) => (
                  <div key={grant.id} className="mt-2">
                    {grant.api.isPortal ? null : <p className="text-sm font-medium text-slate-800">{grant.api.name}</p>}
                    <ul className="list-disc pl-5 text-sm text-slate-700">
                      {grant.scopeSentences.map((scope) => (
                        <li key={scope.name}>{scope.description}</li>
                      ))}
                    </ul>
                  </div>
                ))}
              </div>
              <ConfirmStep
                label={
                  <>
                    Revoke access<span className="sr-only"> for {connection.client.name}</span>
                  </>
                }
                question={`${connection.client.name} loses its access to your account at once, and asks again next time you use it.`}
              >
                <form action={revokeConnectionAction}>
                  <input type="hidden" name={CSRF_FIELD} value={csrf} />
                  <input type="hidden" name="clientId" value={connection.client.id} />
                  <input type="hidden" name="clientName" value={connection.client.name} />
                  <ConfirmField />
                  <button type="submit" className={confirmButtonClass}>
                    Revoke now<span className="sr-only"> for {connection.client.name}</span>
                  </button>
                </form>
              </ConfirmStep>
            </li>
          ))}
        </ul>
      )}
    </AppShell>
  );
}
