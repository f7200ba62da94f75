import { formatTime } from "@/lib/format";
import { signedText } from "@/lib/notices";
import type { Metadata } from "next";
import Link from "next/link";
import { AppShell } from "@/components/app-shell";
import { Alert } from "@/components/ui/alert";
import { requireUser } from "@/lib/auth/guards";
import { lastActivity } from "@/lib/events";
import { listClientsOwnedBy } from "@/lib/oauth/store/clients";

export const metadata: Metadata = { title: "Your apps" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AppsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser("/dashboard/apps");
  const params = await searchParams;
  const apps = await listClientsOwnedBy(user.id);
  const activity = await lastActivity(apps.map((app) => app.id));

  return (
    <AppShell user={user} current="apps">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Your apps</h1>
          <p className="mt-1 text-sm text-slate-600">Apps you registered to sign people in with this portal or call its API.</p>
        </div>
        <Link
          href="/dashboard/apps/new"
          className="rounded-md bg-brand px-4 py-2 text-sm font-semibold text-brand-foreground hover:opacity-90"
        >
          Register an app
        </Link>
      </div>
      {signedText(params, "deleted") ? (
        <div className="mt-4">
          <Alert tone="info">{signedText(params, "deleted")} was deleted.</Alert>
        </div>
      ) : null}
      {apps.length === 0 ? (
        <p className="mt-8 rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600">
          No apps yet. Register one to get a client ID.
        </p>
      ) : (
        <ul className="mt-6 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" aria-label="Your apps">
          {apps.map((app) => (
            <li key={app.id}>
              <Link
                href={`/dashboard/apps/${app.id}`}
                className="flex flex-col gap-1 p-4 hover:bg-slate-50 sm:flex-row sm:items-center sm:justify-between"
              >
                <span>
                  <span className="font-medium text-slate-900">{app.name}</span>
                  <span className="ml-2 text-xs text-slate-500">{app.isConfidential ? "Confidential" : "Public"}</span>
                </span>
                <span className="flex items-center gap-3 text-sm text-slate-600">
                  <span
                    className={`rounded-full px-2 py-0.5 text-xs font-medium ${app.disabledAt ? "bg-slate-200 text-slate-700" : "bg-emerald-100 text-emerald-800"}`}
                  >
                    {app.disabledAt ? "Disabled" : "Active"}
                  </span>
                  <span>Last activity: {activity.has(app.id) ? formatTime(activity.get(app.id)!) : "none"}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </AppShell>
  );
}
