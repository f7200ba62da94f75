import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/auth-shell";

export const metadata: Metadata = { title: "Check your email" };

export default function CheckEmailPage() {
  return (
    <AuthShell title="Check your email">
      <div className="space-y-4 text-sm text-slate-700">
        <p>We sent a mail to the address you entered. Open the link in it to finish: the link works once, for 24 hours.</p>
        <p>No mail after a few minutes? Look in your spam folder, or sign up again to get a new link.</p>
        <p>
          Already have an account?{" "}
          <Link className="font-medium text-brand underline-offset-2 hover:underline" href="/sign-in">
            Sign in
          </Link>
        </p>
      </div>
    </AuthShell>
  );
}
