import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import type { LinkState } from "@/lib/accounts/email-links";

const messages = {
  used: "This link was already used. Each link works once.",
  expired: "This link has expired.",
  unknown: "This link is not valid. Check that you opened the whole link from the mail.",
} as const;

/** What a page behind a one-time link says when the link cannot be used, with the way to a new one. */
export function LinkStateMessage({
  state,
  again,
}: {
  state: Exclude<LinkState["state"], "valid">;
  again: { href: string; label: string };
}) {
  return (
    <div className="space-y-4">
      <Alert>{messages[state]}</Alert>
      <p className="text-sm text-slate-600">
        <Link className="font-medium text-brand underline-offset-2 hover:underline" href={again.href}>
          {again.label}
        </Link>
      </p>
    </div>
  );
}
