import { formatTime } from "@/lib/format";
import { ConfirmField, confirmButtonClass, ConfirmStep } from "@/components/ui/confirm-step";
import type { Metadata } from "next";
import { RegistrationTokenForm } from "@/components/admin/registration-token-form";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { requireAdmin } from "@/lib/auth/guards";
import { getConfig } from "@/lib/config";
import { listInitialAccessTokens } from "@/lib/oauth/store/initial-access-tokens";
import { AdminFrame } from "../admin-frame";
import { createRegistrationTokenAction } from "./actions";

export const metadata: Metadata = { title: "Admin · Registration" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const POLICIES = {
  off: "off: apps are registered in the dashboard or with the CLI only.",
  token: "token: an app registers itself with an initial access token created here.",
  open: "open: public apps register themselves without a token (rate limited, shown as not verified), or with a token created here.",
};

export default async function AdminRegistrationPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin("/admin/registration");
  const [tokens, csrf] = await Promise.all([listInitialAccessTokens(), csrfToken()]);
  const { policy } = getConfig().registration;
  return (
    <AdminFrame user={admin} current="/admin/registration" params={await searchParams}>
      <p className="text-sm text-slate-600">
        Dynamic client registration (RFC 7591) at <code>/oauth/register</code> is <strong>{POLICIES[policy]}</strong> Set{" "}
        <code>REGISTRATION_POLICY</code> to change it.
      </p>
      <section className="mt-6 rounded-lg border border-slate-200 bg-white p-4" aria-labelledby="create-heading">
        <h2 id="create-heading" className="mb-3 font-semibold">
          New initial access token
        </h2>
        <RegistrationTokenForm action={createRegistrationTokenAction} csrf={csrf} />
      </section>
      <ul className="mt-6 space-y-2" aria-label="Initial access tokens">
        {tokens.map((token) => (
          <li
            key={token.id}
            className="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-slate-200 bg-white p-3 text-sm"
          >
            <span>
              <span className="font-medium">{token.label}</span>: {token.usesLeft} uses left,{" "}
              {token.expiresAt > new Date() ? `until ${formatTime(token.expiresAt)}` : "expired"}
            </span>
            <ConfirmStep
              label={
                <>
                  Delete<span className="sr-only"> {token.label}</span>
                </>
              }
              question="Registrations with this token are refused from now on; apps it registered stay."
            >
              <form method="post" action="/admin/registration/delete">
                <input type="hidden" name={CSRF_FIELD} value={csrf} />
                <input type="hidden" name="id" value={token.id} />
                <input type="hidden" name="label" value={token.label} />
                <ConfirmField />
                <button type="submit" className={confirmButtonClass}>
                  Delete now<span className="sr-only"> {token.label}</span>
                </button>
              </form>
            </ConfirmStep>
          </li>
        ))}
      </ul>
    </AdminFrame>
  );
}
