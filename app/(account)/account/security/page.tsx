import { formatTime } from "@/lib/format";
import { ConfirmField, confirmButtonClass, ConfirmStep } from "@/components/ui/confirm-step";
import type { Metadata } from "next";
import Link from "next/link";
import { AccountForm } from "@/components/account/action-form";
import { AddPasskey } from "@/components/account/add-passkey";
import { AppShell } from "@/components/app-shell";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { proofIsRecent, requireUser, stepUpLocation } from "@/lib/auth/guards";
import { myPasskeys } from "@/lib/auth/passkeys";
import { safeReturnTo } from "@/lib/auth/return-to";
import { beginTotpEnrolment, factorsOf } from "@/lib/auth/second-factor";
import { currentViewer } from "@/lib/auth/session";
import { confirmTotpAction, disableTotpAction, regenerateCodesAction, removePasskeyAction, renamePasskeyAction } from "./actions";

export const metadata: Metadata = { title: "Security" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const passkeyNotices: Record<string, string> = {
  added: "Your passkey was added. You can now sign in with it alone, or use it as your second factor.",
  removed: "The passkey was removed.",
  missing: "That passkey is not yours or no longer exists.",
  refused: "That did not go through: reload the page and try again. Removing a passkey needs a session where you gave your second factor.",
  unconfirmed: "Confirm first: open Remove again and press Remove now.",
};

export default async function SecurityPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const user = await requireUser("/account/security", { secondFactorOptional: true });
  const [factors, passkeys, csrf, viewer] = await Promise.all([factorsOf(user), myPasskeys(user), csrfToken(), currentViewer()]);
  const returnTo = typeof params.returnTo === "string" ? safeReturnTo(params.returnTo) : null;
  const mfaDone = viewer?.amr.includes("mfa") ?? false;
  const enrolment = factors.totp ? null : await beginTotpEnrolment(user);
  const passkeyNotice = typeof params.passkey === "string" ? passkeyNotices[params.passkey] : undefined;
  return (
    <AppShell user={user} current="security">
      <h1 className="text-2xl font-semibold tracking-tight">Security</h1>
      <p className="mt-1 text-sm text-slate-600">A second factor keeps your account yours even if someone learns your password.</p>
      {params.required && !mfaDone ? (
        <div className="mt-4">
          <Alert>Set up a second factor to continue: an authenticator app or a passkey.</Alert>
        </div>
      ) : null}
      {viewer && !proofIsRecent(viewer) ? (
        <div className="mt-4">
          <Alert tone="info">
            Changes to your second factors need a sign-in in the last few minutes.{" "}
            <Link className="font-medium underline" href={stepUpLocation("/account/security")}>
              Confirm it is you
            </Link>
          </Alert>
        </div>
      ) : null}
      {returnTo && mfaDone ? (
        <div className="mt-4">
          <Alert tone="info">
            You are set.{" "}
            <Link className="font-medium underline" href={returnTo}>
              Continue
            </Link>
          </Alert>
        </div>
      ) : null}
      <div className="mt-6 space-y-6">
        <section aria-labelledby="totp-heading" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="totp-heading" className="text-lg font-semibold">
            Authenticator app{" "}
            {factors.totp ? (
              <span className="ml-1 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-800">On</span>
            ) : null}
          </h2>
          {enrolment ? (
            <div className="mt-3 space-y-4">
              <p className="text-sm text-slate-600">
                Scan this code with an authenticator app (1Password, Google Authenticator, Authy…), then enter the six digits it shows.
              </p>
              <div
                className="h-44 w-44 rounded border border-slate-200 bg-white p-1"
                role="img"
                aria-label="QR code for your authenticator app"
                // biome-ignore lint/security/noDangerouslySetInnerHtml: an SVG the qrcode package draws from the enrolment URI the portal made (lib/auth/second-factor.ts)
                dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }}
              />
              <p className="text-sm text-slate-600">
                Cannot scan? Enter this key:{" "}
                <code className="break-all rounded bg-slate-100 px-1 font-mono" data-testid="totp-secret">
                  {enrolment.secret}
                </code>
              </p>
              <AccountForm action={confirmTotpAction} csrf={csrf} submitLabel="Turn on" label="Set up authenticator app">
                <input type="hidden" name="enrolment" value={enrolment.sealed} />
                <Field label="Code from the app" name="code" type="text" inputMode="numeric" autoComplete="one-time-code" required />
              </AccountForm>
            </div>
          ) : (
            <div className="mt-3 space-y-6">
              <p className="text-sm text-slate-600">
                Signing in asks for a code from your app. Recovery codes left:{" "}
                <strong data-testid="recovery-codes-left">{factors.recoveryCodesLeft}</strong> of 10.
              </p>
              <AccountForm action={regenerateCodesAction} csrf={csrf} submitLabel="Make new recovery codes" label="Recovery codes" />
              <AccountForm action={disableTotpAction} csrf={csrf} submitLabel="Turn off" danger label="Turn off authenticator app">
                <Field
                  label="Current password"
                  name="password"
                  id="totp-off-password"
                  type="password"
                  autoComplete="current-password"
                  required
                />
              </AccountForm>
            </div>
          )}
        </section>

        <section aria-labelledby="passkeys-heading" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="passkeys-heading" className="text-lg font-semibold">
            Passkeys
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            Sign in with your fingerprint, face or device PIN instead of a password, or use a passkey as your second factor.
          </p>
          {passkeyNotice ? (
            <div className="mt-3">
              <Alert tone={params.passkey === "added" || params.passkey === "removed" ? "info" : "error"}>{passkeyNotice}</Alert>
            </div>
          ) : null}
          {passkeys.length > 0 ? (
            <ul className="mt-4 divide-y divide-slate-200 rounded-md border border-slate-200" aria-label="Your passkeys">
              {passkeys.map((passkey) => (
                <li key={passkey.id} className="space-y-3 p-4">
                  <p className="text-sm">
                    <strong className="font-medium">{passkey.name}</strong>
                    <span className="block text-slate-600">
                      Added {formatTime(passkey.createdAt)} ·{" "}
                      {passkey.lastUsedAt ? `last used ${formatTime(passkey.lastUsedAt)}` : "not used yet"}
                    </span>
                  </p>
                  <div className="flex flex-wrap items-end gap-4">
                    <AccountForm action={renamePasskeyAction} csrf={csrf} submitLabel="Rename" label={`Rename ${passkey.name}`}>
                      <input type="hidden" name="id" value={passkey.id} />
                      <Field
                        label="New name"
                        name="name"
                        id={`name-${passkey.id}`}
                        type="text"
                        required
                        maxLength={60}
                        defaultValue={passkey.name}
                      />
                    </AccountForm>
                    <ConfirmStep
                      label={
                        <>
                          Remove<span className="sr-only"> {passkey.name}</span>
                        </>
                      }
                      question={`${passkey.name} will no longer sign you in.`}
                    >
                      <form action={removePasskeyAction}>
                        <input type="hidden" name={CSRF_FIELD} value={csrf} />
                        <input type="hidden" name="id" value={passkey.id} />
                        <ConfirmField />
                        <button type="submit" className={confirmButtonClass}>
                          Remove now<span className="sr-only"> {passkey.name}</span>
                        </button>
                      </form>
                    </ConfirmStep>
                  </div>
                </li>
              ))}
            </ul>
          ) : null}
          <div className="mt-4">
            <AddPasskey csrfToken={csrf} />
          </div>
        </section>
      </div>
    </AppShell>
  );
}
