import type { Metadata } from "next";
import Link from "next/link";
import { AuthForm } from "@/components/auth-form";
import { AuthShell } from "@/components/auth-shell";
import { PasskeySignIn } from "@/components/passkey-sign-in";
import { Alert } from "@/components/ui/alert";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { formErrorMessage } from "@/lib/auth/messages";
import { safeReturnTo } from "@/lib/auth/return-to";
import { factorsOf } from "@/lib/auth/second-factor";
import { secondFactorSubject } from "@/lib/auth/sign-in-steps";

export const metadata: Metadata = { title: "Second factor" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SecondFactorPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const returnTo = safeReturnTo(params.returnTo);
  const subject = await secondFactorSubject();
  if (!subject) {
    return (
      <AuthShell title="Sign in again">
        <Alert>{formErrorMessage("second_factor_expired")}</Alert>
        <p className="mt-6 text-center text-sm">
          <Link
            className="font-medium text-brand underline-offset-2 hover:underline"
            href={`/sign-in?returnTo=${encodeURIComponent(returnTo)}`}
          >
            Back to sign-in
          </Link>
        </p>
      </AuthShell>
    );
  }
  const factors = await factorsOf(subject.user);
  const csrf = await csrfToken();
  return (
    <AuthShell title="Confirm it is you" subtitle={subject.user.email}>
      <div className="space-y-6">
        {factors.totp ? (
          <AuthForm
            action="/auth/second-factor"
            submitLabel="Continue"
            initialError={formErrorMessage(String(params.error ?? ""), Number(params.retry_after) || undefined)}
            hidden={{ [CSRF_FIELD]: csrf, returnTo }}
            fields={[
              {
                name: "code",
                label: "Code from your authenticator app",
                type: "text",
                autoComplete: "one-time-code",
                required: true,
                hint: "Six digits, or one of your recovery codes.",
              },
            ]}
          />
        ) : null}
        {factors.passkeys > 0 ? <PasskeySignIn mode="second_factor" csrfToken={csrf} returnTo={returnTo} label="Use a passkey" /> : null}
      </div>
    </AuthShell>
  );
}
