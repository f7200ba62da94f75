import type { Metadata } from "next";
import { AuthForm } from "@/components/auth-form";
import { AuthShell } from "@/components/auth-shell";
import { LinkStateMessage } from "@/components/link-state-message";
import { emailLinkState } from "@/lib/accounts/email-links";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { formErrorMessage } from "@/lib/auth/messages";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";

export const metadata: Metadata = { title: "Choose a new password" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const link = await emailLinkState(token, "password_reset");
  return (
    <AuthShell title="Choose a new password">
      {link.state === "valid" ? (
        <>
          <p className="mb-4 text-sm text-slate-600">
            For <strong>{link.email}</strong>. Every session of this account will be signed out.
          </p>
          <AuthForm
            action="/auth/reset-password"
            submitLabel="Set the new password"
            initialError={formErrorMessage(String(params.error ?? ""), Number(params.retry_after) || undefined)}
            hidden={{ [CSRF_FIELD]: await csrfToken(), token }}
            fields={[
              {
                name: "password",
                label: "New password",
                type: "password",
                autoComplete: "new-password",
                required: true,
                hint: `At least ${PASSWORD_MIN_LENGTH} characters.`,
              },
            ]}
          />
        </>
      ) : (
        <LinkStateMessage state={link.state} again={{ href: "/forgot-password", label: "Ask for a new link" }} />
      )}
    </AuthShell>
  );
}
