import type { Metadata } from "next";
import Link from "next/link";
import { AuthShell } from "@/components/auth-shell";

export const metadata: Metadata = { title: "Page not found" };

/** Any address the portal does not have, and any page that calls notFound(): branded, with ways back. */
export default function NotFound() {
  return (
    <AuthShell title="This page does not exist">
      <p className="text-sm text-slate-700">The address may be mistyped, or what it pointed to was deleted.</p>
      <ul className="mt-4 space-y-1 text-sm">
        <li>
          <Link href="/" className="font-medium text-brand underline-offset-2 hover:underline">
            Go to your account
          </Link>
        </li>
        <li>
          <Link href="/dashboard/apps" className="font-medium text-brand underline-offset-2 hover:underline">
            Your apps
          </Link>
        </li>
      </ul>
    </AuthShell>
  );
}
