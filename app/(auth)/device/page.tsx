import type { Metadata } from "next";
import { headers } from "next/headers";
import { AuthShell } from "@/components/auth-shell";
import { AuthorizeDecision } from "@/components/authorize-decision";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { clientIp } from "@/lib/auth/client-ip";
import { csrfToken } from "@/lib/auth/csrf";
import { requireUser } from "@/lib/auth/guards";
import { brand } from "@/lib/brand";
import { deviceScreen } from "@/lib/oauth/device";

export const metadata: Metadata = { title: "Connect a device" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function CodeForm({ problem, value }: { problem?: string; value?: string }) {
  return (
    <form method="get" action="/device" className="space-y-4">
      {problem ? (
        <p role="alert" className="text-sm text-red-700">
          {problem}
        </p>
      ) : null}
      <Field
        label="Code shown on your device"
        name="user_code"
        defaultValue={value}
        required
        autoComplete="off"
        autoCapitalize="characters"
        placeholder="BCDF-GHJK"
      />
      <Button type="submit">Continue</Button>
    </form>
  );
}

/** RFC 8628 §3.3: a signed-in person enters the device's user code, then authorizes or denies it. */
export default async function DevicePage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const typed = typeof params.user_code === "string" ? params.user_code : "";
  await requireUser(typed ? `/device?user_code=${encodeURIComponent(typed)}` : "/device");
  if (!typed) {
    return (
      <AuthShell title="Connect a device" subtitle="Enter the code the device or app shows you.">
        <CodeForm />
      </AuthShell>
    );
  }
  const screen = await deviceScreen(typed, clientIp(await headers()));
  if (screen.kind === "too_many") {
    return (
      <AuthShell title="Connect a device">
        <p role="alert" className="text-sm text-slate-700">
          Too many codes were tried from here. Wait {Math.ceil(screen.retryAfterSeconds / 60)} minutes and try again.
        </p>
      </AuthShell>
    );
  }
  if (screen.kind === "not_found") {
    return (
      <AuthShell title="Connect a device">
        <CodeForm
          problem="That code is not waiting for an answer: check it on the device (codes expire after 10 minutes), or start again there."
          value={typed}
        />
      </AuthShell>
    );
  }
  const { client, madeBy, unverified, api, scopes } = screen;
  return (
    <AuthShell title={`${client.name} wants to use your ${brand().name} account`} subtitle={`On the device showing ${screen.userCode}`}>
      <p className="text-sm text-slate-600" data-testid={unverified ? "unverified-app" : undefined}>
        {unverified
          ? `Not verified by ${brand().name}: this app registered itself`
          : madeBy
            ? `Made by ${madeBy}`
            : `Registered by ${brand().name}`}
      </p>
      {scopes.length > 0 ? (
        <section className="mt-4" aria-labelledby="device-scopes">
          <h2 id="device-scopes" className="text-sm font-medium text-slate-900">
            This will allow {client.name} to:
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-800" data-testid="requested-scopes">
            {scopes.map((scope) => (
              <li key={scope.name}>{scope.description}</li>
            ))}
          </ul>
          {api.isPortal ? null : (
            <p className="mt-2 text-xs text-slate-500">
              For {api.name} ({api.identifier})
            </p>
          )}
        </section>
      ) : (
        <p className="mt-4 text-sm text-slate-700">{client.name} asks only to know that it is you.</p>
      )}
      <p className="mt-4 text-sm text-slate-600">Only answer if you started this on a device in front of you.</p>
      <AuthorizeDecision action="/auth/device" csrf={await csrfToken()} field={{ name: "user_code", value: screen.userCode }} />
    </AuthShell>
  );
}
