import type { Metadata } from "next";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { requireAdmin } from "@/lib/auth/guards";
import { getConfig } from "@/lib/config";
import { secondFactorPolicy, SETTINGS_CACHE_MS } from "@/lib/settings";
import { AdminFrame, smallButton } from "../admin-frame";

export const metadata: Metadata = { title: "Admin · Security" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const CHOICES = [
  { value: "off", label: "Optional", hint: "People choose whether to use an authenticator app or a passkey." },
  { value: "admins", label: "Required for admins", hint: "Admins must give a second factor before using any app." },
  {
    value: "everyone",
    label: "Required for everyone",
    hint: "Everyone must give a second factor before using any app; people without one set it up first.",
  },
] as const;

export default async function AdminSecurityPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin("/admin/security");
  const [policy, csrf] = await Promise.all([secondFactorPolicy(), csrfToken()]);
  const { requireVerifiedEmail, signUpOpen, passwordReset, sessionTtl } = getConfig();
  return (
    <AdminFrame user={admin} current="/admin/security" params={await searchParams}>
      <form method="post" action="/admin/security/save" className="rounded-lg border border-slate-200 bg-white p-4">
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <fieldset className="space-y-3">
          <legend className="font-semibold">Second factor</legend>
          {CHOICES.map((choice) => (
            <label key={choice.value} className="flex gap-2 text-sm">
              <input type="radio" name="secondFactor" value={choice.value} defaultChecked={policy === choice.value} className="mt-0.5" />
              <span>
                <span className="font-medium">{choice.label}</span> <span className="text-slate-600">{choice.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <p className="mt-3 text-xs text-slate-500">Other instances apply a change within {SETTINGS_CACHE_MS / 1000} seconds.</p>
        <button type="submit" className={`mt-4 ${smallButton}`}>
          Save
        </button>
      </form>
      <section className="mt-6 text-sm text-slate-600" aria-label="Settings from the environment">
        <p>
          Set in the environment: sign-up {signUpOpen ? "open" : "closed"} (SIGN_UP), password reset by mail {passwordReset ? "on" : "off"}{" "}
          (PASSWORD_RESET), confirmed email {requireVerifiedEmail ? "required" : "not required"} to use apps (REQUIRE_VERIFIED_EMAIL),
          sessions end after {Math.round(sessionTtl.idleSeconds / 86400)} days idle and {Math.round(sessionTtl.absoluteSeconds / 86400)}{" "}
          days in all (SESSION_IDLE_TTL, SESSION_ABSOLUTE_TTL).
        </p>
      </section>
    </AdminFrame>
  );
}
