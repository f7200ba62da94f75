"use client";

import { startRegistration } from "@simplewebauthn/browser";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Field } from "@/components/ui/field";

/** Adds a passkey: a name, then the browser's own dialog. Needs JavaScript (WebAuthn is a browser API). */
export function AddPasskey({ csrfToken }: { csrfToken: string }) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    setPending(true);
    setError(undefined);
    try {
      const post = (path: string, body: object) =>
        fetch(path, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ csrf_token: csrfToken, ...body }),
        });
      const options = await post("/auth/passkey/registration-options", {});
      if (!options.ok) throw new Error(await options.text());
      const response = await startRegistration({ optionsJSON: await options.json() });
      const saved = await post("/auth/passkey/register", { name, response });
      if (saved.ok) {
        window.location.assign("/account/security?passkey=added");
        return;
      }
      setError(((await saved.json().catch(() => ({}))) as { message?: string }).message ?? "The passkey could not be added.");
    } catch (caught) {
      const problem = caught as Error;
      setError(
        problem.name === "NotAllowedError"
          ? "The passkey request was cancelled or timed out."
          : problem.name === "InvalidStateError"
            ? "This authenticator already holds a passkey for your account."
            : problem.message,
      );
    }
    setPending(false);
  }

  return (
    <form onSubmit={add} aria-label="Add a passkey" className="space-y-3">
      {error ? <Alert>{error}</Alert> : null}
      <Field
        label="Passkey name"
        name="name"
        id="new-passkey-name"
        type="text"
        required
        maxLength={60}
        placeholder="e.g. Work laptop"
        hint="To tell your passkeys apart."
      />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-semibold shadow-sm hover:bg-slate-50 disabled:opacity-60"
      >
        {pending ? "Waiting for your passkey…" : "Add a passkey"}
      </button>
    </form>
  );
}
