import type { Metadata } from "next";
import Link from "next/link";
import { AccountForm } from "@/components/account/action-form";
import { AuthShell } from "@/components/auth-shell";
import { Alert } from "@/components/ui/alert";
import { csrfToken } from "@/lib/auth/csrf";
import { requireUser } from "@/lib/auth/guards";
import { safeReturnTo } from "@/lib/auth/return-to";
import { sendVerificationAction } from "../actions";

export const metadata: Metadata = { title: "Confirm your email" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Where an authorization waits when the portal requires a confirmed email (REQUIRE_VERIFIED_EMAIL). */
export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const returnTo = safeReturnTo((await searchParams).returnTo);
  const user = await requireUser(`/account/verify-email?returnTo=${encodeURIComponent(returnTo)}`, { secondFactorOptional: true });
  return (
    <AuthShell title="Confirm your email first">
      {user.emailVerifiedAt ? (
        <Alert tone="info">
          Your email is confirmed.{" "}
          <Link className="font-medium underline" href={returnTo}>
            Continue
          </Link>
        </Alert>
      ) : (
        <div className="space-y-4 text-sm text-slate-700">
          <p>
            Apps can be used only with a confirmed email. We will send a link to <strong>{user.email}</strong>; open it, then come back here
            and continue.
          </p>
          <AccountForm action={sendVerificationAction} csrf={await csrfToken()} submitLabel="Send me the link" label="Confirm email" />
          <p>
            <Link className="font-medium text-brand underline-offset-2 hover:underline" href={returnTo}>
              I confirmed it: continue
            </Link>
          </p>
        </div>
      )}
    </AuthShell>
  );
}
