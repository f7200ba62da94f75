import type { Metadata } from "next";
import { AuthShell } from "@/components/auth-shell";
import { Button } from "@/components/ui/button";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { currentUser } from "@/lib/auth/session";
import { brand } from "@/lib/brand";
import { readEndSessionRequest } from "@/lib/oauth/logout";

export const metadata: Metadata = { title: "Sign out" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Asks before signing out when the request may not come from the app (no valid id_token_hint). */
export default async function LogoutPage({ searchParams }: { searchParams: SearchParams }) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(await searchParams)) if (typeof value === "string") params.set(name, value);
  const user = await currentUser();
  const outcome = await readEndSessionRequest(params, user?.id ?? null);
  if ("problem" in outcome) {
    return (
      <AuthShell title="This sign-out request cannot be used">
        <p role="alert" className="text-sm text-slate-700">
          {outcome.problem} You are still signed in; go back to the app and try again, or sign out from your account page.
        </p>
      </AuthShell>
    );
  }
  if (!user) {
    return (
      <AuthShell title="You are signed out">
        <p className="text-sm text-slate-700">Nobody is signed in to {brand().name} in this browser.</p>
        {outcome.redirectTo ? (
          <a href={outcome.redirectTo} className="mt-4 inline-block text-sm font-medium text-brand underline-offset-2 hover:underline">
            Back to {outcome.client?.name ?? "the app"}
          </a>
        ) : null}
      </AuthShell>
    );
  }
  return (
    <AuthShell title={`Sign out of ${brand().name}?`}>
      <p className="text-sm text-slate-700">
        {outcome.client ? `${outcome.client.name} asks to sign you out.` : "An app asks to sign you out."} You are signed in as{" "}
        <strong className="font-medium text-slate-900">{user.email}</strong>. Signing out ends your session here and tells your apps.
      </p>
      <form method="post" action="/auth/logout" className="mt-6 grid grid-cols-2 gap-3">
        <input type="hidden" name={CSRF_FIELD} value={await csrfToken()} />
        <input type="hidden" name="request" value={params.toString()} />
        <Button type="submit" name="decision" value="stay" variant="secondary">
          Stay signed in
        </Button>
        <Button type="submit" name="decision" value="sign_out">
          Sign out
        </Button>
      </form>
    </AuthShell>
  );
}
