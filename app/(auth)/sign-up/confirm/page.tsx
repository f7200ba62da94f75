import type { Metadata } from "next";
import { AuthShell } from "@/components/auth-shell";
import { LinkStateMessage } from "@/components/link-state-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { emailLinkState } from "@/lib/accounts/email-links";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { formErrorMessage } from "@/lib/auth/messages";

export const metadata: Metadata = { title: "Confirm your email" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Opening the link changes nothing (mail scanners open links too); the button creates the account. */
export default async function ConfirmSignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const error = formErrorMessage(String(params.error ?? ""));
  const link = await emailLinkState(token, "sign_up");
  return (
    <AuthShell title="Confirm your email">
      {error ? (
        <div className="mb-4">
          <Alert>{error}</Alert>
        </div>
      ) : null}
      {link.state === "valid" ? (
        <form method="post" action="/auth/sign-up/confirm" className="space-y-4">
          <p className="text-sm text-slate-700">
            Create your account for <strong>{link.email}</strong>? Type the password you chose when you signed up. If you did not sign up
            yourself, close this page: no account is made.
          </p>
          <input type="hidden" name={CSRF_FIELD} value={await csrfToken()} />
          <input type="hidden" name="token" value={token} />
          <Field label="Password you chose" name="password" type="password" autoComplete="current-password" required />
          <Button type="submit">Confirm and create my account</Button>
        </form>
      ) : error ? null : (
        <LinkStateMessage state={link.state} again={{ href: "/sign-up", label: "Sign up again to get a new link" }} />
      )}
    </AuthShell>
  );
}
