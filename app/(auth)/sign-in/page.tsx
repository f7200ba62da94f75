import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth-form";
import { AuthShell } from "@/components/auth-shell";
import { PasskeySignIn } from "@/components/passkey-sign-in";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { Alert } from "@/components/ui/alert";
import { formErrorMessage, formNotice } from "@/lib/auth/messages";
import { getConfig } from "@/lib/config";
import { safeReturnTo } from "@/lib/auth/return-to";
import { currentUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { pendingClientName, RESUME_PATH } from "@/lib/oauth/authorize";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const returnTo = safeReturnTo(params.returnTo);
  // prompt=login (from an authorization request) asks even someone already signed in.
  if (params.prompt !== "login" && (await currentUser())) redirect(returnTo);
  const appName = await appNameFor(returnTo);
  const loginHint = typeof params.login_hint === "string" ? params.login_hint : undefined;

  const error = formErrorMessage(String(params.error ?? ""), Number(params.retry_after) || undefined);
  const notice = formNotice(params.notice);
  const { signUpOpen, passwordReset } = getConfig();
  const csrf = await csrfToken();
  return (
    <AuthShell title={`Sign in to ${brand().name}`} subtitle={appName ? `to continue to ${appName}` : undefined}>
      {notice && !error ? (
        <div className="mb-4">
          <Alert tone="info">{notice}</Alert>
        </div>
      ) : null}
      <AuthForm
        action="/auth/sign-in"
        submitLabel="Sign in"
        initialError={error}
        hidden={{ [CSRF_FIELD]: csrf, returnTo }}
        fields={[
          { name: "email", label: "Email", type: "email", autoComplete: "username", required: true, defaultValue: loginHint },
          { name: "password", label: "Password", type: "password", autoComplete: "current-password", required: true },
        ]}
      />
      <div className="mt-4">
        <PasskeySignIn mode="sign_in" csrfToken={csrf} returnTo={returnTo} label="Use a passkey" />
      </div>
      {passwordReset ? (
        <p className="mt-4 text-center text-sm">
          <Link className="font-medium text-brand underline-offset-2 hover:underline" href="/forgot-password">
            Forgot your password?
          </Link>
        </p>
      ) : null}
      {signUpOpen ? (
        <p className="mt-4 text-center text-sm text-slate-600">
          No account yet?{" "}
          <Link
            className="font-medium text-brand underline-offset-2 hover:underline"
            href={`/sign-up?returnTo=${encodeURIComponent(returnTo)}`}
          >
            Create one
          </Link>
        </p>
      ) : null}
    </AuthShell>
  );
}

/** The app a person signs in for, when they came from an authorization request. */
async function appNameFor(returnTo: string): Promise<string | null> {
  const url = new URL(returnTo, "http://portal.invalid");
  if (url.pathname !== RESUME_PATH) return null;
  return pendingClientName(url.searchParams.get("request") ?? "");
}
