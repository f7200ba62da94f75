import Link from "next/link";
import { AuthShell } from "@/components/auth-shell";

export default function Forbidden() {
  return (
    <AuthShell title="You cannot open this page">
      <p role="alert" className="text-sm text-slate-700">
        It is for administrators only. If you need access, ask an administrator of this portal.
      </p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-brand underline-offset-2 hover:underline">
        Go to your account
      </Link>
    </AuthShell>
  );
}
