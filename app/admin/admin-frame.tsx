import Link from "next/link";
import { signedText } from "@/lib/notices";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { Alert } from "@/components/ui/alert";
import type { User } from "@/lib/generated/prisma/client";

const TABS = [
  { href: "/admin", label: "Users" },
  { href: "/admin/apps", label: "Apps" },
  { href: "/admin/scopes", label: "Scopes" },
  { href: "/admin/registration", label: "Registration" },
  { href: "/admin/security", label: "Security" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/audit", label: "Audit log" },
];

/** The admin screens' frame: title, tabs, and the notice or error of the last change. */
export function AdminFrame({
  user,
  current,
  params,
  children,
}: {
  user: User;
  current: string;
  params: Record<string, string | string[] | undefined>;
  children: ReactNode;
}) {
  const [notice, error] = [signedText(params, "notice"), signedText(params, "error")];
  return (
    <AppShell user={user} current="admin">
      <h1 className="text-2xl font-semibold tracking-tight">Admin</h1>
      <nav aria-label="Admin" className="mt-4 flex gap-1 overflow-x-auto border-b border-slate-200 text-sm">
        {TABS.map((tab) => (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={tab.href === current ? "page" : undefined}
            className="-mb-px border-b-2 border-transparent px-3 py-2 font-medium text-slate-600 hover:text-slate-900 aria-[current=page]:border-brand aria-[current=page]:text-slate-900"
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      <div className="mt-4 space-y-2">
        {notice ? <Alert tone="info">{notice}</Alert> : null}
        {error ? <Alert>{error}</Alert> : null}
      </div>
      <div className="mt-4">{children}</div>
    </AppShell>
  );
}

export const cellClass = "py-2 pr-4 align-top";

/** The page's address with the named parts of its query: where signing in comes back to, the list as it was asked for. */
export function addressOf(path: string, params: Record<string, string | string[] | undefined>, keys: string[]): string {
  const query = new URLSearchParams();
  for (const key of keys) if (typeof params[key] === "string") query.set(key, params[key] as string);
  return query.size ? `${path}?${query.toString()}` : path;
}

/** A GET form with one text field, for searching and filtering lists. */
export function FilterForm({
  name,
  label,
  value,
  placeholder,
  button,
  mono,
}: {
  name: string;
  label: string;
  value: string;
  placeholder: string;
  button: string;
  mono?: boolean;
}) {
  return (
    <form method="get" role="search" className="mb-4 flex gap-2">
      <label htmlFor={name} className="sr-only">
        {label}
      </label>
      <input
        id={name}
        name={name}
        defaultValue={value}
        placeholder={placeholder}
        className={`w-full max-w-sm rounded-md border border-slate-300 px-3 py-2 text-sm ${mono ? "font-mono" : ""}`}
      />
      <button type="submit" className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50">
        {button}
      </button>
    </form>
  );
}

/** A labelled table with a header row; `columns` are the header cells (an empty one is read as "Actions"). */
export function AdminTable({ label, columns, children }: { label: string; columns: string[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-4">
      <table className="w-full text-left text-sm" aria-label={label}>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((column, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a table's columns never move, and an unnamed one has no other key
              <th key={index} scope="col" className={cellClass}>
                {column || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
export const smallButton = "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50";
