import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthShell } from "@/components/auth-shell";
import { AuthorizeDecision } from "@/components/authorize-decision";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { currentUser, currentViewer } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { consentScreen, PENDING_LIFETIME_MINUTES } from "@/lib/oauth/authorize";

export const metadata: Metadata = { title: "Authorize app" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ConsentPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const handle = typeof params.request === "string" ? params.request : "";
  const screen = await consentScreen(handle, await currentViewer());
  if (screen.kind === "redirect") redirect(screen.location);
  if (screen.kind === "expired") {
    return (
      <AuthShell title="This request has expired">
        <p role="alert" className="text-sm text-slate-700">
          It was already answered, or it waited longer than {PENDING_LIFETIME_MINUTES} minutes. Go back to the app you came from and start
          again.
        </p>
      </AuthShell>
    );
  }

  const user = await currentUser();
  const csrf = await csrfToken();
  const { client, madeBy, unverified, api, scopes, returning, destination } = screen;
  const newScopes = scopes.filter((scope) => scope.isNew);
  const keptScopes = scopes.filter((scope) => !scope.isNew);
  const shown = returning ? newScopes : scopes;
  // Each scope under what it opens: the person's account (identity scopes), or the API the token is for.
  const groups = [
    { key: "identity", title: `Your ${brand().name} account`, scopes: shown.filter((scope) => scope.identity) },
    { key: "api", title: api.isPortal ? api.name : `${api.name} (${api.identifier})`, scopes: shown.filter((scope) => !scope.identity) },
  ].filter((group) => group.scopes.length > 0);
  const here = `/consent?request=${encodeURIComponent(handle)}`;

  return (
    <AuthShell title={`${client.name} wants to use your ${brand().name} account`}>
      <div className="mb-5 flex items-center gap-3">
        {client.logoUrl ? (
          // eslint-disable-next-line @next/next/no-img-element -- app logos are external URLs registered at run time
          <img
            src={client.logoUrl}
            alt={`${client.name} logo`}
            width={48}
            height={48}
            className="h-12 w-12 rounded-lg border border-slate-200 object-contain"
          />
        ) : (
          <div
            aria-hidden
            className="flex h-12 w-12 items-center justify-center rounded-lg bg-slate-100 text-xl font-semibold text-slate-600"
          >
            {client.name.slice(0, 1).toUpperCase()}
          </div>
        )}
        <div className="text-sm">
          <p className="font-semibold text-slate-900">{client.name}</p>
          {unverified ? (
            <p className="font-medium text-amber-800" data-testid="unverified-app">
              Not verified by {brand().name}: this app registered itself
            </p>
          ) : (
            <p className="text-slate-600">{madeBy ? `Made by ${madeBy}` : `Registered by ${brand().name}`}</p>
          )}
        </div>
      </div>

      {scopes.length === 0 ? (
        <p className="text-sm text-slate-700">{client.name} asks only to know that it is you. It gets no other access to your account.</p>
      ) : (
        <section aria-labelledby="scopes-heading">
          <h2 id="scopes-heading" className="text-sm font-medium text-slate-900">
            {returning && newScopes.length > 0
              ? `${client.name} is asking for more access. It would also be able to:`
              : `This will allow ${client.name} to:`}
          </h2>
          <div className="mt-2 space-y-3" data-testid="requested-scopes">
            {groups.map((group) => (
              <div key={group.key}>
                <h3 className="text-xs font-medium uppercase tracking-wide text-slate-500">{group.title}</h3>
                <ul className="mt-1 space-y-2">
                  {group.scopes.map((scope) => (
                    <li key={scope.name} className="flex items-start gap-2 text-sm text-slate-800">
                      <span aria-hidden className="mt-1.5 h-2 w-2 shrink-0 rounded-full bg-brand" />
                      <span>
                        {scope.description}
                        {returning ? (
                          <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800">New</span>
                        ) : null}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </div>
          {returning && keptScopes.length > 0 ? (
            <p className="mt-3 text-xs text-slate-500">Already allowed: {keptScopes.map((scope) => scope.description).join("; ")}.</p>
          ) : null}
        </section>
      )}

      <p className="mt-5 text-sm text-slate-600">
        Whichever you choose, you will be sent back to <strong className="font-medium text-slate-900">{destination}</strong>.
      </p>

      <AuthorizeDecision action="/auth/consent" csrf={csrf} field={{ name: "request", value: handle }} />

      {user ? (
        <form method="post" action="/auth/sign-out" className="mt-6 border-t border-slate-200 pt-4 text-center text-xs text-slate-500">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <input type="hidden" name="returnTo" value={`/sign-in?returnTo=${encodeURIComponent(here)}`} />
          Signed in as <span className="font-medium text-slate-700">{user.email}</span>.{" "}
          <button type="submit" className="font-medium text-brand underline-offset-2 hover:underline">
            Not you? Switch account
          </button>
        </form>
      ) : null}
    </AuthShell>
  );
}
