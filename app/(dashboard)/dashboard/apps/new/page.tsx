import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { AppForm } from "@/components/dashboard/app-form";
import { csrfToken } from "@/lib/auth/csrf";
import { requireUser } from "@/lib/auth/guards";
import { scopeChoices } from "@/lib/oauth/scopes";
import { createAppAction } from "../actions";

export const metadata: Metadata = { title: "Register an app" };

export default async function NewAppPage() {
  const user = await requireUser("/dashboard/apps/new");
  const catalog = await scopeChoices();
  return (
    <AppShell user={user} current="apps">
      <h1 className="text-2xl font-semibold tracking-tight">Register an app</h1>
      <div className="mt-6 max-w-2xl rounded-lg border border-slate-200 bg-white p-6">
        <AppForm
          mode="create"
          action={createAppAction}
          csrf={await csrfToken()}
          catalog={catalog}
          initial={{
            name: "",
            logoUrl: "",
            type: "confidential",
            grantTypes: ["authorization_code", "refresh_token"],
            scopes: ["openid", "profile", "email"],
            anyUserScope: true,
            redirectUris: "",
            requirePkce: false,
            requireOfflineAccess: false,
            requirePushedRequests: false,
            requireDpop: false,
            refreshGraceSeconds: "",
            applicationType: "web",
            tokenEndpointAuthMethod: "client_secret",
            jwks: "",
            jwksUri: "",
            accessTokenTtl: "",
            refreshTokenTtl: "",
            idTokenSignedResponseAlg: "",
            allowedOrigins: "",
            postLogoutRedirectUris: "",
            backchannelLogoutUri: "",
          }}
        />
      </div>
    </AppShell>
  );
}
