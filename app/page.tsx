import { redirect } from "next/navigation";
import { BrandHeader } from "@/components/brand-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { currentUser } from "@/lib/auth/session";

export default async function HomePage() {
  const user = await currentUser();
  if (!user) redirect("/sign-in");

  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <Card>
        <BrandHeader />
        <h1 className="text-2xl font-semibold tracking-tight">{user.name ? `Welcome, ${user.name}` : "Welcome"}</h1>
        <p className="mt-2 text-sm text-slate-600">
          You are signed in as <strong className="font-medium text-slate-900">{user.email}</strong>.
        </p>
        <form method="post" action="/auth/sign-out" className="mt-6">
          <input type="hidden" name={CSRF_FIELD} value={await csrfToken()} />
          <Button type="submit" variant="secondary">
            Sign out
          </Button>
        </form>
      </Card>
    </main>
  );
}
