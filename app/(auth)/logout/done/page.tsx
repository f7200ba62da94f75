import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/auth-shell";
import { brand } from "@/lib/brand";

export const metadata: Metadata = { title: "Signed out" };

export default function SignedOutPage() {
  return (
    <AuthShell title="You are signed out">
      <p className="text-sm text-slate-700">Your {brand().name} session has ended, and the apps you use have been told.</p>
      <Link href="/sign-in" className="mt-4 inline-block text-sm font-medium text-brand underline-offset-2 hover:underline">
        Sign in again
      </Link>
    </AuthShell>
  );
}
