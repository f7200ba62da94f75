import { QuickStart } from "@/components/dashboard/quick-start";
import { signedText } from "@/lib/notices";
import { quickStartSnippets, type SnippetInput } from "@/lib/oauth/snippets";
import { brand } from "@/lib/brand";
import { WebhookList } from "@/components/webhooks/webhook-list";
import { webhooksOf } from "@/lib/webhooks/webhooks";
import { formatTime } from "@/lib/format";
import { EventList, eventFilterOf } from "@/components/event-list";
import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppShell } from "@/components/app-shell";
import { AppForm } from "@/components/dashboard/app-form";
import { DeleteApp, DisableApp, RedirectUris, RotateSecret } from "@/components/dashboard/app-controls";
import { CopyableValue } from "@/components/ui/copy-button";
import { csrfToken } from "@/lib/auth/csrf";
import { requireUser } from "@/lib/auth/guards";
import { getConfig } from "@/lib/config";
import { randomToken } from "@/lib/crypto";
import { listEvents } from "@/lib/events";
import { findManagedClient, grantTypesOf } from "@/lib/oauth/clients";
import { listGrantsOfClient } from "@/lib/oauth/client-grants";
import { s256Challenge } from "@/lib/oauth/pkce";
import { IDENTITY_SCOPES } from "@/lib/oauth/apis";
import { parseScope, scopeChoices } from "@/lib/oauth/scopes";
import { rfcAuthMethod } from "@/lib/oauth/client-auth";
import {
  addRedirectUriAction,
  deleteAppAction,
  removeRedirectUriAction,
  rotateSecretAction,
  setDisabledAction,
  updateAppAction,
} from "../actions";
import { appFormValuesOf } from "@/lib/oauth/client-form";
import { endpointUrl } from "@/lib/oauth/endpoint-paths";

export const metadata: Metadata = { title: "App" };

type Props = { params: Promise<{ clientId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The events an app's owner can pick from (the app's own; people's account events are not its business). */
const ACTIVITY_TYPES = [
  "authorization.approved",
  "authorization.denied",
  "token.issued",
  "token.refreshed",
  "token.revoked",
  "grant.revoked",
  "token.refresh_reuse_detected",
  "token.code_reuse_detected",
  "logout.backchannel_delivered",
  "logout.backchannel_failed",
  "client.updated",
  "client.secret_rotated",
  "request.failed",
] as const;

function Section({ id, title, children, description }: { id: string; title: string; description?: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className="rounded-lg border border-slate-200 bg-white p-6">
      <h2 id={`${id}-heading`} className="text-lg font-semibold tracking-tight">
        {title}
      </h2>
      {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      <div className="mt-4">{children}</div>
    </section>
  );
}

export default async function AppPage({ params, searchParams }: Props) {
  const { clientId } = await params;
  const user = await requireUser(`/dashboard/apps/${clientId}`);
  const app = await findManagedClient(clientId, user);
  if (!app) notFound();

  const query = await searchParams;
  const activityFilter = eventFilterOf(query);
  const [catalog, events, csrf, webhooks, machineGrants] = await Promise.all([
    scopeChoices(),
    listEvents({ clientId: app.id, ...activityFilter, limit: 50 }),
    csrfToken(),
    webhooksOf({ clientId: app.id }),
    listGrantsOfClient(app.id),
  ]);
  const { issuer } = getConfig();
  const grantTypes = grantTypesOf(app);
  const scopes = parseScope(app.scopes);
  const redirectUris = app.redirectUris.map(({ uri }) => uri);
  const common = { csrf, clientId: app.id };

  // A ready-made authorization request with a fresh PKCE pair.
  const verifier = randomToken(32);
  // The identity scopes work with any API; an API's own scopes go with its audience.
  const userScopes = scopes.filter((scope) => IDENTITY_SCOPES.has(scope));
  const authorizationUrl =
    grantTypes.includes("authorization_code") && redirectUris[0]
      ? `${endpointUrl("authorization")}?${new URLSearchParams({
          response_type: "code",
          client_id: app.id,
          redirect_uri: redirectUris[0],
          scope: userScopes.join(" "),
          state: randomToken(16),
          code_challenge: s256Challenge(verifier),
          code_challenge_method: "S256",
        })}`
      : null;

  return (
    <AppShell user={user} current="apps">
      <p className="text-sm">
        <Link href="/dashboard/apps" className="text-slate-600 hover:text-slate-900">
          ← Your apps
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{app.name}</h1>
        <span
          className={`rounded-full px-2 py-0.5 text-xs font-medium ${app.disabledAt ? "bg-slate-200 text-slate-700" : "bg-emerald-100 text-emerald-800"}`}
        >
          {app.disabledAt ? "Disabled" : "Active"}
        </span>
        <span className="text-sm text-slate-600">{app.isConfidential ? "Confidential" : "Public (PKCE, no secret)"}</span>
      </div>

      <div className="mt-6 space-y-6">
        <Section id="integration" title="Integration" description="What your app needs to talk to the portal.">
          <dl className="space-y-3">
            <CopyableValue label="Client ID" value={app.id} testId="client-id" />
            <CopyableValue label="Issuer" value={issuer} />
            <CopyableValue label="Discovery URL" value={`${issuer}/.well-known/openid-configuration`} />
            <CopyableValue label="Token endpoint" value={endpointUrl("token")} />
            <CopyableValue label="Revocation endpoint" value={endpointUrl("revocation")} />
          </dl>
          {authorizationUrl ? (
            <div className="mt-6 space-y-3">
              <h3 className="font-medium">Try an authorization request</h3>
              <p className="text-sm text-slate-600">
                A ready-made link with a fresh PKCE pair. Your app makes a new random <em>code verifier</em> for every sign-in, sends its
                SHA-256 as the <code className="font-mono">code_challenge</code>, and sends the verifier itself with the code to the token
                endpoint.
              </p>
              <dl className="space-y-3">
                <CopyableValue label="Authorization URL" value={authorizationUrl} testId="authorization-url" />
                <CopyableValue label="Code verifier for this URL" value={verifier} />
              </dl>
              {app.ownerId === user.id ? (
                <p className="text-sm">
                  Or run it in the{" "}
                  <Link href={`/dashboard/apps/${app.id}/playground`} className="font-medium text-brand underline-offset-2 hover:underline">
                    playground
                  </Link>
                  : sign in, consent, and see the code, every token decoded, userinfo, refresh, introspection and revocation.
                </p>
              ) : null}
            </div>
          ) : null}
        </Section>

        {authorizationUrl && app.tokenEndpointAuthMethod !== "private_key_jwt" ? (
          <Section
            id="quick-start"
            title="Quick start"
            description="Code that signs a person in to this app and prints the tokens, with its values filled in. Set CLIENT_SECRET to the app's secret where the code reads it."
          >
            <QuickStart
              snippets={quickStartSnippets({
                issuer,
                clientId: app.id,
                redirectUri: redirectUris[0]!,
                authMethod: rfcAuthMethod(app.tokenEndpointAuthMethod) as SnippetInput["authMethod"],
                scope: ["openid", ...userScopes.filter((scope) => scope !== "openid" && scope !== "offline_access")].join(" "),
                brandName: brand().name,
              })}
            />
          </Section>
        ) : null}

        <Section id="settings" title="Settings">
          <AppForm mode="edit" action={updateAppAction} csrf={csrf} clientId={app.id} catalog={catalog} initial={appFormValuesOf(app)} />
        </Section>

        <Section
          id="redirect-uris"
          title="Redirect URIs"
          description="Requests must name one of these exactly. https, or http only for loopback addresses; native apps may use their own scheme."
        >
          <RedirectUris {...common} uris={redirectUris} add={addRedirectUriAction} remove={removeRedirectUriAction} />
        </Section>

        {app.isConfidential ? (
          <Section
            id="secret"
            title="Client secret"
            description="Secrets are stored only as hashes and shown once. Rotate if one may have leaked."
          >
            {app.previousSecretExpiresAt && app.previousSecretExpiresAt > new Date() ? (
              <p className="mb-3 text-sm text-amber-800">
                The previous secret keeps working until {formatTime(app.previousSecretExpiresAt)}.
              </p>
            ) : null}
            <RotateSecret {...common} rotate={rotateSecretAction} />
          </Section>
        ) : null}

        {grantTypes.includes("client_credentials") ? (
          <Section
            id="machine-access"
            title="Machine access"
            description="The APIs this app may get client-credentials tokens for. An API's owner (for the portal's own API, an admin) gives it on the API's page, with the app's client ID."
          >
            {machineGrants.length === 0 ? (
              <p className="text-sm text-slate-600">
                None yet: without it, a client-credentials request for an API is refused (unauthorized_client).
              </p>
            ) : (
              <ul
                className="divide-y divide-slate-200 rounded-md border border-slate-200 text-sm"
                aria-label="APIs this app may call as itself"
              >
                {machineGrants.map((grant) => (
                  <li key={grant.apiId} className="px-3 py-2">
                    <span className="font-medium text-slate-900">{grant.api.name}</span>{" "}
                    <code className="break-all font-mono text-xs text-slate-600">{grant.api.identifier ?? `${issuer}/api/v1`}</code>
                    <span className="block text-slate-700">{parseScope(grant.scopes).join(" ") || "no scopes"}</span>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        ) : null}

        <Section id="activity" title="Activity" description="What happened with this app, newest first, 50 at a time.">
          <EventList
            page={events}
            filter={activityFilter}
            path={`/dashboard/apps/${app.id}`}
            label="Activity"
            showApp={false}
            types={ACTIVITY_TYPES}
          />
        </Section>

        <Section
          id="webhooks"
          title="Webhooks"
          description="This app's events, sent as signed JSON (Standard Webhooks) to an HTTPS endpoint of yours, retried for a day."
        >
          <WebhookList webhooks={webhooks} csrf={csrf} clientId={app.id} events={ACTIVITY_TYPES} notice={signedText(query, "webhook")} />
        </Section>

        <Section id="danger" title="Disable or delete">
          <div className="space-y-6">
            <DisableApp {...common} disabled={app.disabledAt !== null} toggle={setDisabledAction} />
            <DeleteApp {...common} name={app.name} remove={deleteAppAction} />
          </div>
        </Section>
      </div>
    </AppShell>
  );
}
