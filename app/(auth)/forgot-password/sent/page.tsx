import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/auth-shell";

export const metadata: Metadata = { title: "Check your email" };

export default function ResetLinkSentPage() {
  return (
    <AuthShell title="Check your email">
      <div className="space-y-4 text-sm text-slate-700">
        <p>If an account uses that email, we sent it a link to choose a new password. The link works once, for 30 minutes.</p>
        <p>No mail after a few minutes? Look in your spam folder, or check the address and ask again.</p>
        <p>
          <Link className="font-medium text-brand underline-offset-2 hover:underline" href="/sign-in">
            Back to sign-in
          </Link>
        </p>
      </div>
    </AuthShell>
  );
}
