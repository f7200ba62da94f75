import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth-form";
import { AuthShell } from "@/components/auth-shell";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { formErrorMessage } from "@/lib/auth/messages";
import { safeReturnTo } from "@/lib/auth/return-to";
import { currentUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { Alert } from "@/components/ui/alert";
import { getConfig } from "@/lib/config";

export const metadata: Metadata = { title: "Create account" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const returnTo = safeReturnTo(params.returnTo);
  if (await currentUser()) redirect(returnTo);

  if (!getConfig().signUpOpen) {
    return (
      <AuthShell title={`Create your ${brand().name} account`}>
        <Alert tone="info">{formErrorMessage("sign_up_closed")}</Alert>
      </AuthShell>
    );
  }
  return (
    <AuthShell title={`Create your ${brand().name} account`}>
      <p className="mb-4 text-sm text-slate-600">
        We will send you a link to confirm your email; your account is created when you open it.
      </p>
      <AuthForm
        action="/auth/sign-up"
        submitLabel="Create account"
        initialError={formErrorMessage(String(params.error ?? ""), Number(params.retry_after) || undefined)}
        hidden={{ [CSRF_FIELD]: await csrfToken(), returnTo }}
        fields={[
          { name: "name", label: "Name", type: "text", autoComplete: "name" },
          { name: "email", label: "Email", type: "email", autoComplete: "email", required: true },
          {
            name: "password",
            label: "Password",
            type: "password",
            autoComplete: "new-password",
            required: true,
            hint: `At least ${PASSWORD_MIN_LENGTH} characters.`,
          },
        ]}
      />
      <p className="mt-6 text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link
          className="font-medium text-brand underline-offset-2 hover:underline"
          href={`/sign-in?returnTo=${encodeURIComponent(returnTo)}`}
        >
          Sign in
        </Link>
      </p>
    </AuthShell>
  );
}
