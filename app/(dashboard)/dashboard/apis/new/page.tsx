import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { ApiForm } from "@/components/dashboard/api-form";
import { csrfToken } from "@/lib/auth/csrf";
import { requireUser } from "@/lib/auth/guards";
import { createApiAction } from "../actions";

export const metadata: Metadata = { title: "Register an API" };

export default async function NewApiPage() {
  const user = await requireUser("/dashboard/apis/new");
  return (
    <AppShell user={user} current="apis">
      <h1 className="text-2xl font-semibold tracking-tight">Register an API</h1>
      <div className="mt-6 max-w-2xl rounded-lg border border-slate-200 bg-white p-6">
        <ApiForm
          mode="create"
          action={createApiAction}
          csrf={await csrfToken()}
          initial={{
            name: "",
            identifier: "",
            scopes: "",
            accessTokenTtl: "",
            allowSkipConsent: false,
            allowOfflineAccess: false,
            offlineAccessScopeRequired: true,
          }}
        />
      </div>
    </AppShell>
  );
}
