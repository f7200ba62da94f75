import type { Metadata } from "next";
import { AuthShell } from "@/components/auth-shell";
import { LinkStateMessage } from "@/components/link-state-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { emailLinkState } from "@/lib/accounts/email-links";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { formErrorMessage } from "@/lib/auth/messages";

export const metadata: Metadata = { title: "Confirm your email" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Opening the link changes nothing (mail scanners open links too); the button confirms. No sign-in needed: the link is the proof. */
export default async function ConfirmEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const error = formErrorMessage(String(params.error ?? ""));
  const link = await emailLinkState(token, "verify_email");
  return (
    <AuthShell title="Confirm your email">
      {error ? <Alert>{error}</Alert> : null}
      {link.state === "valid" ? (
        <form method="post" action="/auth/confirm-email" className="space-y-4">
          <p className="text-sm text-slate-700">
            Confirm <strong>{link.email}</strong> as the email of your account?
          </p>
          <input type="hidden" name={CSRF_FIELD} value={await csrfToken()} />
          <input type="hidden" name="token" value={token} />
          <Button type="submit">Confirm this email</Button>
        </form>
      ) : error ? null : (
        <LinkStateMessage state={link.state} again={{ href: "/account", label: "Ask for a new link on your account page" }} />
      )}
    </AuthShell>
  );
}
