"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

type Props = { mode: "sign_in" | "second_factor"; csrfToken: string; returnTo: string; label: string };

/** Signs in with a passkey (alone, or as the second factor): the browser asks the authenticator, the portal checks its answer. */
export function PasskeySignIn({ mode, csrfToken, returnTo, label }: Props) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function run() {
    setPending(true);
    setError(undefined);
    try {
      const post = (path: string, body: object) =>
        fetch(path, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ csrf_token: csrfToken, mode, ...body }),
        });
      const options = await post("/auth/passkey/options", {});
      if (!options.ok) throw new Error(await options.text());
      const response = await startAuthentication({ optionsJSON: await options.json() });
      const verified = await post("/auth/passkey/verify", { response, returnTo });
      const body = (await verified.json().catch(() => ({}))) as { redirectTo?: string; message?: string };
      if (verified.ok && body.redirectTo) {
        window.location.assign(body.redirectTo);
        return;
      }
      setError(body.message ?? "The passkey was not accepted.");
    } catch (caught) {
      const name = (caught as Error).name;
      setError(
        name === "NotAllowedError"
          ? "The passkey request was cancelled or timed out."
          : (caught as Error).message || "The passkey could not be used.",
      );
    }
    setPending(false);
  }

  return (
    <div className="space-y-3">
      {error ? <Alert>{error}</Alert> : null}
      <Button type="button" variant="secondary" onClick={run} disabled={pending}>
        {pending ? "Waiting for your passkey…" : label}
      </Button>
    </div>
  );
}
