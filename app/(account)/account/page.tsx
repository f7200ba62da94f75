import type { Metadata } from "next";
import Link from "next/link";
import { AccountForm } from "@/components/account/action-form";
import { AppShell } from "@/components/app-shell";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";
import { formNotice } from "@/lib/auth/messages";
import { csrfToken } from "@/lib/auth/csrf";
import { requireUser } from "@/lib/auth/guards";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { getConfig } from "@/lib/config";
import { changePasswordAction, deleteAccountAction, requestEmailChangeAction, sendVerificationAction, updateNameAction } from "./actions";

export const metadata: Metadata = { title: "Your account" };

function Section({ id, title, children, description }: { id: string; title: string; description?: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
      <div className="mt-4">{children}</div>
    </section>
  );
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AccountPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser("/account");
  const notice = formNotice((await searchParams).notice);
  const csrf = await csrfToken();
  const mail = getConfig().mail.available;
  return (
    <AppShell user={user} current="account">
      <h1 className="text-2xl font-semibold tracking-tight">Your account</h1>
      <p className="mt-1 text-sm text-slate-600">
        Also:{" "}
        <Link className="font-medium text-brand underline-offset-2 hover:underline" href="/account/security">
          second factors and passkeys
        </Link>
        ,{" "}
        <Link className="font-medium text-brand underline-offset-2 hover:underline" href="/account/sessions">
          sessions
        </Link>{" "}
        and{" "}
        <Link className="font-medium text-brand underline-offset-2 hover:underline" href="/account/connections">
          connected apps
        </Link>
        .
      </p>
      {notice ? (
        <div className="mt-4">
          <Alert tone="info">{notice}</Alert>
        </div>
      ) : null}
      <div className="mt-6 space-y-6">
        <Section id="profile-heading" title="Profile">
          <AccountForm action={updateNameAction} csrf={csrf} submitLabel="Save name" label="Profile">
            <Field label="Name" name="name" type="text" autoComplete="name" defaultValue={user.name ?? ""} maxLength={100} />
          </AccountForm>
        </Section>

        <Section id="email-heading" title="Email" description="You sign in with it, and apps you allow may see it.">
          <p className="mb-4 text-sm">
            <strong className="font-medium">{user.email}</strong>{" "}
            {user.emailVerifiedAt ? (
              <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-800">Confirmed</span>
            ) : (
              <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">Not confirmed</span>
            )}
          </p>
          {mail && !user.emailVerifiedAt ? (
            <div className="mb-6">
              <AccountForm action={sendVerificationAction} csrf={csrf} submitLabel="Send me a confirmation link" label="Confirm email" />
            </div>
          ) : null}
          {mail ? (
            <AccountForm action={requestEmailChangeAction} csrf={csrf} submitLabel="Send a link to the new address" label="Change email">
              <Field label="New email" name="email" type="email" autoComplete="email" required />
              <Field
                label="Current password"
                name="password"
                id="email-change-password"
                type="password"
                autoComplete="current-password"
                required
              />
            </AccountForm>
          ) : (
            <p className="text-sm text-slate-600">Ask an administrator to change your email: this portal cannot send mail.</p>
          )}
        </Section>

        <Section id="password-heading" title="Password" description="Changing it signs out every other session.">
          <AccountForm action={changePasswordAction} csrf={csrf} submitLabel="Change password" label="Change password">
            <input type="text" name="username" autoComplete="username" defaultValue={user.email} hidden readOnly />
            <Field
              label="Current password"
              name="current"
              id="password-change-current"
              type="password"
              autoComplete="current-password"
              required
            />
            <Field
              label="New password"
              name="next"
              type="password"
              autoComplete="new-password"
              required
              hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
            />
          </AccountForm>
        </Section>

        <Section
          id="delete-heading"
          title="Delete your account"
          description="Every app loses its access to your account at once, and you are signed out. This cannot be undone."
        >
          <AccountForm action={deleteAccountAction} csrf={csrf} submitLabel="Delete my account" danger label="Delete account">
            <fieldset className="space-y-2 text-sm">
              <legend className="font-medium text-slate-700">Apps and APIs you registered</legend>
              <label className="flex gap-2">
                <input type="radio" name="apps" value="hand_over" defaultChecked /> Hand them to an administrator, so they keep working
              </label>
              <label className="flex gap-2">
                <input type="radio" name="apps" value="delete" /> Delete them
              </label>
            </fieldset>
            <Field label={`Type ${user.email} to confirm`} name="confirmEmail" type="text" autoComplete="off" required />
          </AccountForm>
        </Section>
      </div>
    </AppShell>
  );
}
