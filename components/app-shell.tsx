import Link from "next/link";
import type { ReactNode } from "react";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { brand } from "@/lib/brand";
import type { User } from "@/lib/generated/prisma/client";

type Section = "apps" | "apis" | "account" | "security" | "connections" | "sessions" | "admin";

/** The frame of every signed-in screen: brand, navigation, the person and sign-out. */
export async function AppShell({ user, current, children }: { user: User; current: Section; children: ReactNode }) {
  const { name, iconUrl } = brand();
  const links: { section: Section; href: string; label: string }[] = [
    { section: "apps", href: "/dashboard/apps", label: "Your apps" },
    { section: "apis", href: "/dashboard/apis", label: "Your APIs" },
    { section: "account", href: "/account", label: "Account" },
    { section: "security", href: "/account/security", label: "Security" },
    { section: "connections", href: "/account/connections", label: "Connected apps" },
    { section: "sessions", href: "/account/sessions", label: "Sessions" },
    ...(user.isAdmin ? [{ section: "admin" as const, href: "/admin", label: "Admin" }] : []),
  ];
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/" className="flex items-center gap-2 font-semibold">
            {/* eslint-disable-next-line @next/next/no-img-element -- configured at run time */}
            <img src={iconUrl} alt="" width={28} height={28} className="h-7 w-7 rounded-md" />
            {name}
          </Link>
          <nav
            aria-label="Main"
            className="order-last flex min-w-0 basis-full gap-1 overflow-x-auto text-sm lg:order-none lg:flex-1 lg:basis-auto"
          >
            {links.map((link) => (
              <Link
                key={link.section}
                href={link.href}
                aria-current={link.section === current ? "page" : undefined}
                className="whitespace-nowrap rounded-md px-3 py-1.5 font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=page]:bg-slate-100 aria-[current=page]:text-slate-900"
              >
                {link.label}
              </Link>
            ))}
          </nav>
          <form method="post" action="/auth/sign-out" className="flex items-center gap-3 text-sm text-slate-600">
            <input type="hidden" name={CSRF_FIELD} value={await csrfToken()} />
            <span className="hidden sm:inline">{user.email}</span>
            <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-50">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
    </div>
  );
}
