import type { Metadata } from "next";
import Link from "next/link";
import { AuthForm } from "@/components/auth-form";
import { AuthShell } from "@/components/auth-shell";
import { Alert } from "@/components/ui/alert";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { formErrorMessage } from "@/lib/auth/messages";
import { getConfig } from "@/lib/config";

export const metadata: Metadata = { title: "Reset your password" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ForgotPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return (
    <AuthShell title="Reset your password">
      {getConfig().passwordReset ? (
        <>
          <p className="mb-4 text-sm text-slate-600">Enter the email of your account. We will send a link to choose a new password.</p>
          <AuthForm
            action="/auth/forgot-password"
            submitLabel="Send the link"
            initialError={formErrorMessage(String(params.error ?? ""), Number(params.retry_after) || undefined)}
            hidden={{ [CSRF_FIELD]: await csrfToken() }}
            fields={[{ name: "email", label: "Email", type: "email", autoComplete: "username", required: true }]}
          />
        </>
      ) : (
        <Alert tone="info">Passwords are not reset by mail on this portal. Ask your administrator.</Alert>
      )}
      <p className="mt-6 text-center text-sm text-slate-600">
        <Link className="font-medium text-brand underline-offset-2 hover:underline" href="/sign-in">
          Back to sign-in
        </Link>
      </p>
    </AuthShell>
  );
}
