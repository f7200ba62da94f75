import Link from "next/link";
import { AppShell } from "@/components/app-shell";
import { requireUser } from "@/lib/auth/guards";

export default async function HomePage() {
  const user = await requireUser("/");
  const cards = [
    { href: "/dashboard/apps", title: "Your apps", text: "Register apps, manage redirect URIs and secrets, and see their activity." },
    { href: "/account", title: "Your account", text: "Your name, email and password, second factors and passkeys." },
    {
      href: "/account/connections",
      title: "Connected apps",
      text: "See the apps you allowed to use your account, and revoke their access.",
    },
    ...(user.isAdmin ? [{ href: "/admin", title: "Admin", text: "Users, all apps, the scopes catalog and the audit log." }] : []),
  ];
  return (
    <AppShell user={user} current="apps">
      <h1 className="text-2xl font-semibold tracking-tight">{user.name ? `Welcome, ${user.name}` : "Welcome"}</h1>
      <p className="mt-2 text-sm text-slate-600">
        You are signed in as <strong className="font-medium text-slate-900">{user.email}</strong>.
      </p>
      <ul className="mt-6 grid gap-4 sm:grid-cols-2">
        {cards.map((card) => (
          <li key={card.href}>
            <Link href={card.href} className="block h-full rounded-lg border border-slate-200 bg-white p-5 hover:border-brand">
              <span className="font-semibold text-slate-900">{card.title}</span>
              <span className="mt-1 block text-sm text-slate-600">{card.text}</span>
            </Link>
          </li>
        ))}
      </ul>
    </AppShell>
  );
}
