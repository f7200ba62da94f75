"use client";

import Link from "next/link";
import { useActionState, type ReactNode } from "react";
import type { FormState } from "@/app/(dashboard)/dashboard/apps/actions";
import { SecretOnce } from "@/components/dashboard/secret-once";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextArea } from "@/components/ui/field";
import { CSRF_FIELD } from "@/lib/auth/csrf-field";
import type { AppFormValues } from "@/lib/oauth/client-form";

type Props = {
  mode: "create" | "edit";
  action: (state: FormState, form: FormData) => Promise<FormState>;
  csrf: string;
  clientId?: string;
  catalog: { name: string; description: string; apis: string[] }[];
  initial: AppFormValues;
};

const GRANTS = [
  { value: "authorization_code", label: "Authorization code", hint: "People sign in and consent (with PKCE)." },
  { value: "refresh_token", label: "Refresh token", hint: "Stay signed in with rotating refresh tokens." },
  {
    value: "client_credentials",
    label: "Client credentials",
    hint: "The app acts for itself. Confidential apps only; an API's owner authorizes it on the API's page (machine access).",
  },
  {
    value: "urn:ietf:params:oauth:grant-type:device_code",
    label: "Device code",
    hint: "A TV or command-line app: the person enters a code at /device (RFC 8628).",
  },
];

function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={id} className="mt-1 text-sm text-red-700">
      {error}
    </p>
  ) : null;
}

function CheckboxGroup(props: {
  name: string;
  legend: string;
  options: { value: string; label: ReactNode; hint: string }[];
  checked: string[];
  error?: string;
  columns?: boolean;
}) {
  const errorId = `${props.name}-error`;
  return (
    <fieldset aria-describedby={props.error ? errorId : undefined}>
      <legend className="text-sm font-medium text-slate-700">{props.legend}</legend>
      <div className={`mt-2 ${props.columns ? "grid gap-2 sm:grid-cols-2" : "space-y-2"}`}>
        {props.options.map((option) => (
          <label key={option.value} className="flex gap-2 text-sm">
            <input
              type="checkbox"
              name={props.name}
              value={option.value}
              defaultChecked={props.checked.includes(option.value)}
              className="mt-0.5"
            />
            <span>
              {option.label} <span className="text-slate-600">{option.hint}</span>
            </span>
          </label>
        ))}
      </div>
      <FieldError id={errorId} error={props.error} />
    </fieldset>
  );
}

/** Two or more choices as bordered cards, one checked. */
function RadioCards(props: { name: string; checked: string; options: { value: string; label: string; hint: string }[] }) {
  return (
    <div className="mt-2 grid gap-2 sm:grid-cols-2">
      {props.options.map((option) => (
        <label key={option.value} className="flex gap-2 rounded-md border border-slate-200 p-3 text-sm has-[:checked]:border-brand">
          <input type="radio" name={props.name} value={option.value} defaultChecked={props.checked === option.value} className="mt-0.5" />
          <span>
            <span className="font-medium text-slate-900">{option.label}</span>
            <span className="block text-slate-600">{option.hint}</span>
          </span>
        </label>
      ))}
    </div>
  );
}

/**
 * Creates or edits an app. A server action answers; without JavaScript the
 * page re-renders with the same state. Errors stay beside the fields, with
 * what the person typed kept.
 */
export function AppForm({ mode, action, csrf, clientId, catalog, initial }: Props) {
  const [state, formAction, pending] = useActionState(action, { version: 0 });
  if (state.created) {
    return (
      <div className="space-y-4">
        <Alert tone="info">{state.created.name} is registered.</Alert>
        {state.created.clientSecret ? (
          <SecretOnce secret={state.created.clientSecret} clientId={state.created.clientId} />
        ) : (
          <p className="text-sm text-slate-700">
            Client ID:{" "}
            <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono" data-testid="new-client-id">
              {state.created.clientId}
            </code>
            . Public apps have no secret: they use PKCE.
          </p>
        )}
        <Link
          href={`/dashboard/apps/${state.created.clientId}`}
          className="inline-block text-sm font-medium text-brand underline-offset-2 hover:underline"
        >
          Go to the app&apos;s page
        </Link>
      </div>
    );
  }

  const values = { ...initial, ...state.values };
  const errors = state.fieldErrors ?? {};
  return (
    <form key={state.version} action={formAction} className="space-y-6" noValidate>
      {state.message ? <Alert>{state.message}</Alert> : null}
      {state.saved ? <Alert tone="info">Saved.</Alert> : null}
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      {clientId ? <input type="hidden" name="clientId" value={clientId} /> : null}

      <Field label="Name" name="name" defaultValue={values.name} error={errors.name} required autoComplete="off" />
      <Field
        label="Logo URL"
        name="logoUrl"
        type="url"
        defaultValue={values.logoUrl}
        error={errors.logoUrl}
        hint="Optional. An https image shown on the consent screen."
        autoComplete="off"
      />

      {state.secret ? <SecretOnce secret={state.secret} /> : null}
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Type</legend>
        {mode === "edit" ? (
          <p className="mt-1 text-xs text-slate-500">
            Making the app confidential creates a secret, shown once; making it public deletes its secret.
          </p>
        ) : null}
        <RadioCards
          name="type"
          checked={values.type}
          options={[
            { value: "confidential", label: "Confidential", hint: "Runs on a server and can keep a secret." },
            { value: "public", label: "Public", hint: "Single-page or mobile app: no secret, PKCE only." },
          ]}
        />
      </fieldset>

      <CheckboxGroup
        name="grantTypes"
        legend="Grant types"
        error={errors.grantTypes}
        checked={values.grantTypes}
        options={GRANTS.map((grant) => ({
          value: grant.value,
          label: <span className="font-medium text-slate-900">{grant.label}</span>,
          hint: grant.hint,
        }))}
      />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Scopes the app may ask a person for</legend>
        <RadioCards
          name="scopeRule"
          checked={values.anyUserScope ? "any" : "listed"}
          options={[
            {
              value: "any",
              label: "Any scope an API offers",
              hint: "Each person sees and consents to what the app asks for, as in Auth0.",
            },
            { value: "listed", label: "Only the scopes ticked below", hint: "Anything else the app asks for is refused (invalid_scope)." },
          ]}
        />
      </fieldset>
      <CheckboxGroup
        name="scopes"
        legend="Listed scopes (what the app may ask a person for when only these are allowed)"
        columns
        error={errors.scopes}
        checked={values.scopes}
        options={catalog.map((scope) => ({
          value: scope.name,
          label: <code className="font-mono text-slate-900">{scope.name}</code>,
          hint: `${scope.description} (${scope.apis.join(", ")})`,
        }))}
      />

      <CheckboxGroup
        name="options"
        legend="Options"
        checked={[
          values.requirePkce ? "requirePkce" : "",
          values.requireOfflineAccess ? "requireOfflineAccess" : "",
          values.requirePushedRequests ? "requirePushedRequests" : "",
          values.requireDpop ? "requireDpop" : "",
        ]}
        options={[
          {
            value: "requirePkce",
            label: <span className="font-medium text-slate-900">Require PKCE</span>,
            hint: "Public apps always use PKCE; this requires it of this confidential app too.",
          },
          {
            value: "requireOfflineAccess",
            label: <span className="font-medium text-slate-900">Refresh tokens only with offline_access</span>,
            hint: "A refresh token only when the request's scope includes offline_access.",
          },
          {
            value: "requirePushedRequests",
            label: <span className="font-medium text-slate-900">Require pushed authorization requests</span>,
            hint: "The app must send its authorization requests to the PAR endpoint first (RFC 9126).",
          },
          {
            value: "requireDpop",
            label: <span className="font-medium text-slate-900">Require DPoP</span>,
            hint: "Every token request carries a DPoP proof, so every token is bound to the app's key (RFC 9449).",
          },
        ]}
      />

      <TextArea
        label="Allowed web origins"
        name="allowedOrigins"
        rows={2}
        defaultValue={values.allowedOrigins}
        error={errors.allowedOrigins}
        placeholder="https://app.example.com"
        hint="For single-page apps: one per line. Pages from these origins may call the token, revocation and userinfo endpoints from the browser (CORS)."
      />

      <details
        className="rounded-md border border-slate-200 p-4"
        open={
          Boolean(
            errors.tokenEndpointAuthMethod ||
              errors.jwks ||
              errors.jwksUri ||
              errors.accessTokenTtl ||
              errors.refreshTokenTtl ||
              errors.postLogoutRedirectUris ||
              errors.backchannelLogoutUri ||
              errors.refreshGraceSeconds,
          ) || undefined
        }
      >
        <summary className="cursor-pointer text-sm font-medium text-slate-700">
          Advanced: application type, client authentication, sign-out, lifetimes
        </summary>
        <div className="mt-4 space-y-4">
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">Application type</legend>
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              {[
                { value: "web", label: "Web", hint: "A server or browser app: callback addresses compared exactly." },
                {
                  value: "native",
                  label: "Native",
                  hint: "A desktop or mobile app: private-use schemes, and any port on loopback (RFC 8252).",
                },
              ].map((option) => (
                <label key={option.value} className="flex gap-2 text-sm">
                  <input
                    type="radio"
                    name="applicationType"
                    value={option.value}
                    defaultChecked={values.applicationType === option.value}
                    className="mt-0.5"
                  />
                  <span>
                    <span className="font-medium text-slate-900">{option.label}</span> <span className="text-slate-600">{option.hint}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <div className="space-y-1">
            <label htmlFor="tokenEndpointAuthMethod" className="block text-sm font-medium text-slate-700">
              Client authentication (token_endpoint_auth_method)
            </label>
            <select
              id="tokenEndpointAuthMethod"
              name="tokenEndpointAuthMethod"
              defaultValue={values.tokenEndpointAuthMethod}
              aria-invalid={errors.tokenEndpointAuthMethod ? true : undefined}
              aria-describedby={errors.tokenEndpointAuthMethod ? "tokenEndpointAuthMethod-error" : undefined}
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
            >
              <option value="client_secret">
                Client secret, sent either way: an Authorization: Basic header or the request body (default)
              </option>
              <option value="client_secret_basic">client_secret_basic only: the secret in an Authorization: Basic header</option>
              <option value="client_secret_post">client_secret_post only: the secret in the request body</option>
              <option value="private_key_jwt">private_key_jwt: a JWT signed with the app&apos;s own key (no secret)</option>
              <option value="none">none: public apps</option>
            </select>
            <FieldError id="tokenEndpointAuthMethod-error" error={errors.tokenEndpointAuthMethod} />
          </div>
          <TextArea
            label="Public keys for private_key_jwt (JWK Set)"
            name="jwks"
            rows={3}
            defaultValue={values.jwks}
            error={errors.jwks}
            placeholder='{"keys":[{"kty":"EC","crv":"P-256","x":"…","y":"…","kid":"…"}]}'
          />
          <Field
            label="Or the URL of the JWK Set (jwks_uri)"
            name="jwksUri"
            type="url"
            defaultValue={values.jwksUri}
            error={errors.jwksUri}
            autoComplete="off"
            hint="https; fetched again when an assertion names a key it has not seen."
          />
          <TextArea
            label="Post-logout redirect URIs"
            name="postLogoutRedirectUris"
            rows={2}
            defaultValue={values.postLogoutRedirectUris}
            error={errors.postLogoutRedirectUris}
            placeholder="https://app.example.com/signed-out"
          />
          <Field
            label="Back-channel logout URI"
            name="backchannelLogoutUri"
            type="url"
            defaultValue={values.backchannelLogoutUri}
            error={errors.backchannelLogoutUri}
            autoComplete="off"
            hint="The portal posts a signed logout token here when a person who uses the app signs out."
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Access-token lifetime (seconds)"
              name="accessTokenTtl"
              type="number"
              min={60}
              max={86400}
              defaultValue={values.accessTokenTtl}
              error={errors.accessTokenTtl}
              hint="Blank: the API's."
            />
            <Field
              label="Refresh-token lifetime (seconds)"
              name="refreshTokenTtl"
              type="number"
              min={300}
              defaultValue={values.refreshTokenTtl}
              error={errors.refreshTokenTtl}
              hint="Unused; blank: REFRESH_TOKEN_TTL."
            />
            <Field
              label="Refresh grace window (seconds)"
              name="refreshGraceSeconds"
              type="number"
              min={0}
              max={120}
              defaultValue={values.refreshGraceSeconds}
              error={errors.refreshGraceSeconds}
              hint="0 to 120: a refresh token used again this soon gets the same answer (a lost response), not reuse detection."
            />
          </div>
          <div className="space-y-1">
            <label htmlFor="idTokenSignedResponseAlg" className="block text-sm font-medium text-slate-700">
              ID token algorithm (id_token_signed_response_alg)
            </label>
            <select
              id="idTokenSignedResponseAlg"
              name="idTokenSignedResponseAlg"
              defaultValue={values.idTokenSignedResponseAlg}
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
            >
              <option value="">The portal&apos;s default (SIGNING_ALG)</option>
              <option value="RS256">RS256</option>
              <option value="ES256">ES256</option>
              <option value="EdDSA">EdDSA</option>
            </select>
          </div>
        </div>
      </details>

      {mode === "create" ? (
        <TextArea
          label="Redirect URIs"
          name="redirectUris"
          rows={3}
          defaultValue={values.redirectUris}
          error={errors.redirectUris}
          placeholder="https://app.example.com/callback"
          hint="One per line. Exact URIs: https, or http only for localhost and 127.0.0.1; native apps may use their own scheme (com.example.app:/callback)."
        />
      ) : null}

      <div className="max-w-xs">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : mode === "create" ? "Create app" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
