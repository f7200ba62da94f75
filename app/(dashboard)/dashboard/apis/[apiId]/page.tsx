import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppShell } from "@/components/app-shell";
import { ApiForm, DeleteApi } from "@/components/dashboard/api-form";
import { Alert } from "@/components/ui/alert";
import { CopyButton } from "@/components/ui/copy-button";
import { csrfToken } from "@/lib/auth/csrf";
import { requireUser } from "@/lib/auth/guards";
import { getConfig } from "@/lib/config";
import { apiFormValuesOf } from "@/lib/oauth/api-form";
import { findManagedApi } from "@/lib/oauth/apis";
import { deleteApiAction, giveClientGrantAction, removeClientGrantAction, updateApiAction } from "../actions";
import { ClientGrants } from "@/components/dashboard/client-grants";
import { grantsOnApi, machineScopesOf, mayGrantOn } from "@/lib/oauth/client-grants";
import { endpointUrl } from "@/lib/oauth/endpoint-paths";

export const metadata: Metadata = { title: "API" };

type Params = Promise<{ apiId: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ApiPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { apiId } = await params;
  const user = await requireUser(`/dashboard/apis/${apiId}`);
  const api = await findManagedApi(apiId, user);
  if (!api) notFound();
  const canGrant = mayGrantOn(api, { id: user.id, isAdmin: user.isAdmin, disabled: user.disabledAt !== null });
  const [csrf, grants] = await Promise.all([csrfToken(), canGrant ? grantsOnApi(api) : []]);
  const { issuer, ttl } = getConfig();

  return (
    <AppShell user={user} current="apis">
      <p className="text-sm">
        <Link href="/dashboard/apis" className="text-brand underline-offset-2 hover:underline">
          Your APIs
        </Link>
      </p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">{api.name}</h1>
      {(await searchParams).created ? (
        <div className="mt-4">
          <Alert tone="info">
            {api.name} is registered. Apps can now ask for it with audience={api.identifier}.
          </Alert>
        </div>
      ) : null}

      <section className="mt-6 rounded-lg border border-slate-200 bg-white p-6" aria-labelledby="verify-heading">
        <h2 id="verify-heading" className="font-semibold">
          Verifying tokens in your API
        </h2>
        <dl className="mt-3 grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-slate-600">Audience (aud)</dt>
          <dd className="flex items-center gap-2">
            <code className="break-all font-mono" data-testid="api-identifier">
              {api.identifier}
            </code>
            <CopyButton value={api.identifier} label="Copy identifier" />
          </dd>
          <dt className="text-slate-600">Issuer (iss)</dt>
          <dd>
            <code className="break-all font-mono">{issuer}</code>
          </dd>
          <dt className="text-slate-600">Keys (JWKS)</dt>
          <dd>
            <code className="break-all font-mono">{endpointUrl("jwks")}</code>
          </dd>
          <dt className="text-slate-600">Token type (typ)</dt>
          <dd>
            <code className="font-mono">at+jwt</code> (RFC 9068); the granted scopes are in <code className="font-mono">scope</code>
          </dd>
        </dl>
        <p className="mt-3 text-sm">
          <Link href="/docs/apis" className="font-medium text-brand underline-offset-2 hover:underline">
            How an API verifies the portal&apos;s tokens, with code
          </Link>
        </p>
      </section>

      <section className="mt-6 max-w-2xl rounded-lg border border-slate-200 bg-white p-6" aria-labelledby="settings-heading">
        <h2 id="settings-heading" className="mb-4 font-semibold">
          Settings
        </h2>
        <ApiForm
          mode="edit"
          action={updateApiAction}
          csrf={csrf}
          apiId={api.id}
          initial={apiFormValuesOf(api, ttl.accessToken)}
          isPortal={api.isPortal}
        />
      </section>

      {canGrant ? (
        <section className="mt-6 max-w-2xl rounded-lg border border-slate-200 bg-white p-6" aria-labelledby="machine-access-heading">
          <h2 id="machine-access-heading" className="font-semibold">
            Machine access (client credentials)
          </h2>
          <p className="mb-4 mt-1 text-sm text-slate-600">
            Nobody consents to a token an app gets for itself, so only the apps listed here may get one for{" "}
            {api.isPortal ? "the portal's own API (admins decide)" : "this API"}, with the scopes ticked. It works while the person who gave
            it may still give it.
          </p>
          <ClientGrants
            apiId={api.id}
            csrf={csrf}
            grants={grants}
            scopes={machineScopesOf(api).map((name) => ({ name, description: api.scopes.get(name)!.description }))}
            give={giveClientGrantAction}
            remove={removeClientGrantAction}
          />
        </section>
      ) : null}

      {api.isPortal ? null : (
        <section className="mt-6 max-w-2xl rounded-lg border border-red-200 bg-white p-6" aria-labelledby="delete-heading">
          <h2 id="delete-heading" className="mb-2 font-semibold text-red-800">
            Delete this API
          </h2>
          <DeleteApi apiId={api.id} identifier={api.identifier} name={api.name} csrf={csrf} remove={deleteApiAction} />
        </section>
      )}
    </AppShell>
  );
}
