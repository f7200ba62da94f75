import type { Metadata } from "next";
import { signedText } from "@/lib/notices";
import Link from "next/link";
import { AppShell } from "@/components/app-shell";
import { Alert } from "@/components/ui/alert";
import { requireUser } from "@/lib/auth/guards";
import { listManagedApis, ownScopes } from "@/lib/oauth/apis";

export const metadata: Metadata = { title: "Your APIs" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ApisPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser("/dashboard/apis");
  const params = await searchParams;
  const apis = await listManagedApis(user);

  return (
    <AppShell user={user} current="apis">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Your APIs</h1>
          <p className="mt-1 text-sm text-slate-600">
            APIs that accept this portal&apos;s access tokens. Apps ask for one with <code>audience</code> or <code>resource</code>.{" "}
            <Link href="/docs/apis" className="font-medium text-brand underline-offset-2 hover:underline">
              How an API verifies tokens
            </Link>
          </p>
        </div>
        <Link
          href="/dashboard/apis/new"
          className="rounded-md bg-brand px-4 py-2 text-sm font-semibold text-brand-foreground hover:opacity-90"
        >
          Register an API
        </Link>
      </div>
      {signedText(params, "deleted") ? (
        <div className="mt-4">
          <Alert tone="info">{signedText(params, "deleted")} was deleted.</Alert>
        </div>
      ) : null}
      {apis.length === 0 ? (
        <p className="mt-8 rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600">
          No APIs yet. Register one so apps can get tokens for it.
        </p>
      ) : (
        <ul className="mt-6 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" aria-label="Your APIs">
          {apis.map((api) => (
            <li key={api.id}>
              <Link
                href={`/dashboard/apis/${api.id}`}
                className="flex flex-col gap-1 p-4 hover:bg-slate-50 sm:flex-row sm:items-center sm:justify-between"
              >
                <span>
                  <span className="font-medium text-slate-900">{api.name}</span>
                  <code className="ml-2 break-all font-mono text-xs text-slate-500">{api.identifier}</code>
                </span>
                <span className="text-sm text-slate-600">{ownScopes(api).length} scopes</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </AppShell>
  );
}
