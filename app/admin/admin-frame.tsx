import Link from "next/link";
import type { ReactNode } from "react";
import { AppShell } from "@/components/app-shell";
import { Alert } from "@/components/ui/alert";
import type { User } from "@/lib/generated/prisma/client";

const TABS = [
  { href: "/admin", label: "Users" },
  { href: "/admin/apps", label: "Apps" },
  { href: "/admin/scopes", label: "Scopes" },
  { href: "/admin/audit", label: "Audit log" },
];

/** The admin screens' frame: title, tabs, and the notice or error of the last change. */
export function AdminFrame({ user, current, params, children }: { user: User; current: string; params: Record<string, string | string[] | undefined>; children: ReactNode }) {
  return (
    <AppShell user={user} current="admin">
      <h1 className="text-2xl font-semibold tracking-tight">Admin</h1>
      <nav aria-label="Admin" className="mt-4 flex gap-1 border-b border-slate-200 text-sm">
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
        {typeof params.notice === "string" ? <Alert tone="info">{params.notice}</Alert> : null}
        {typeof params.error === "string" ? <Alert>{params.error}</Alert> : null}
      </div>
      <div className="mt-4">{children}</div>
    </AppShell>
  );
}

export const tableClass = "w-full text-left text-sm";
export const cellClass = "py-2 pr-4 align-top";
export const smallButton = "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50";
