import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthForm } from "@/components/auth-form";
import { AuthShell } from "@/components/auth-shell";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { formErrorMessage } from "@/lib/auth/messages";
import { safeReturnTo } from "@/lib/auth/return-to";
import { currentUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const returnTo = safeReturnTo(params.returnTo);
  if (await currentUser()) redirect(returnTo);

  const error = formErrorMessage(String(params.error ?? ""), Number(params.retry_after) || undefined);
  return (
    <AuthShell title={`Sign in to ${brand().name}`}>
      <AuthForm
        action="/auth/sign-in"
        submitLabel="Sign in"
        initialError={error}
        hidden={{ [CSRF_FIELD]: await csrfToken(), returnTo }}
        fields={[
          { name: "email", label: "Email", type: "email", autoComplete: "username", required: true },
          { name: "password", label: "Password", type: "password", autoComplete: "current-password", required: true },
        ]}
      />
      <p className="mt-6 text-center text-sm text-slate-600">
        No account yet?{" "}
        <Link className="font-medium text-brand underline-offset-2 hover:underline" href={`/sign-up?returnTo=${encodeURIComponent(returnTo)}`}>
          Create one
        </Link>
      </p>
    </AuthShell>
  );
}
