import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppShell } from "@/components/app-shell";
import { PlaygroundConsole } from "@/components/dashboard/playground-console";
import { Alert } from "@/components/ui/alert";
import { csrfToken } from "@/lib/auth/csrf";
import { requireUser } from "@/lib/auth/guards";
import { allowsGrant } from "@/lib/oauth/clients";
import { IDENTITY_SCOPES, listManagedApis } from "@/lib/oauth/apis";
import { userScopesOf } from "@/lib/oauth/scopes";
import { OAUTH_ERROR_CODES } from "@/lib/oauth/errors";
import { playgroundAction } from "./actions";
import { findClient } from "@/lib/oauth/store/clients";

export const metadata: Metadata = { title: "Playground" };

type Props = { params: Promise<{ clientId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The app's playground, for its owner: choose scopes, API and prompt, Run
 * (sign-in and consent in a new tab, back here), then exchange the code and
 * try the tokens. Its address is the run's redirect URI.
 */
export default async function PlaygroundPage({ params, searchParams }: Props) {
  const { clientId } = await params;
  const user = await requireUser(`/dashboard/apps/${clientId}/playground`);
  const client = await findClient(clientId);
  if (!client || client.ownerId !== user.id) notFound();
  const query = await searchParams;
  const text = (name: string) => (typeof query[name] === "string" ? (query[name] as string) : undefined);
  const scopes = await userScopesOf(client);
  const returnedError = (OAUTH_ERROR_CODES as readonly string[]).find((code) => code === text("error"));
  // The owner's own APIs (an admin's: all): the playground does not tell one developer what others registered.
  const apis = (await listManagedApis(user)).filter(
    (api) => !api.isPortal && [...api.scopes.keys()].some((scope) => scopes.includes(scope)),
  );
  const csrf = await csrfToken();
  const usesCode = allowsGrant(client, "authorization_code");
  return (
    <AppShell user={user} current="apps">
      <p className="text-sm">
        <Link href={`/dashboard/apps/${client.id}`} className="font-medium text-brand underline-offset-2 hover:underline">
          ← {client.name}
        </Link>
      </p>
      <h1 className="mt-2 text-2xl font-semibold tracking-tight">Playground</h1>
      <p className="mt-1 text-sm text-slate-600">
        Run a real sign-in with {client.name}, then see every token it gets. Only you, its owner, can use this page as a redirect URI.
      </p>

      {/* Only a known error code, never the description: anyone can make a link to this page with words of their own. */}
      {returnedError ? (
        <div className="mt-4">
          <Alert>
            The run came back with <code>{returnedError}</code>. The activity on the app&apos;s page says why.
          </Alert>
        </div>
      ) : null}

      {text("code") && text("state") ? (
        <section aria-label="Result" className="mt-6 rounded-lg border border-slate-200 bg-white p-5">
          <PlaygroundConsole
            action={playgroundAction}
            csrf={csrf}
            clientId={client.id}
            confidential={client.isConfidential}
            code={text("code")!}
            state={text("state")!}
          />
        </section>
      ) : null}

      <section aria-label="Run" className="mt-6 rounded-lg border border-slate-200 bg-white p-5">
        {usesCode ? (
          <form method="get" action={`/dashboard/apps/${client.id}/playground/run`} target="_blank" className="space-y-4" rel="noopener">
            <fieldset>
              <legend className="text-sm font-medium text-slate-700">Scopes</legend>
              <div className="mt-2 grid gap-1 text-sm sm:grid-cols-2">
                {scopes.map((scope) => (
                  <label key={scope} className="flex gap-2">
                    <input type="checkbox" name="scope" value={scope} defaultChecked={IDENTITY_SCOPES.has(scope)} /> <code>{scope}</code>
                  </label>
                ))}
              </div>
            </fieldset>
            <div className="flex flex-wrap gap-4">
              <label className="flex flex-col text-sm font-medium text-slate-700">
                API
                <select name="audience" className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm">
                  <option value="">The portal&apos;s API</option>
                  {apis.map((api) => (
                    <option key={api.id} value={api.identifier}>
                      {api.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="flex flex-col text-sm font-medium text-slate-700">
                Prompt
                <select name="prompt" className="mt-1 rounded-md border border-slate-300 px-3 py-2 text-sm">
                  <option value="">(none)</option>
                  <option value="consent">consent</option>
                  <option value="login">login</option>
                  <option value="none">none</option>
                </select>
              </label>
            </div>
            <button type="submit" className="rounded-md bg-brand px-4 py-2 text-sm font-semibold text-brand-foreground">
              Run
            </button>
            <p className="text-xs text-slate-500">
              Opens a new tab: sign in and consent there as anyone would; you come back to this page with the code.
            </p>
          </form>
        ) : (
          <p className="text-sm text-slate-600">The playground runs the authorization code grant, which this app does not use.</p>
        )}
      </section>
    </AppShell>
  );
}
