import { CopyableValue } from "@/components/ui/copy-button";

/** A client secret, shown once, with the warning that it cannot be shown again. */
export function SecretOnce({ secret, clientId }: { secret: string; clientId?: string }) {
  return (
    <section aria-labelledby="secret-once-heading" className="rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="secret-once">
      <h2 id="secret-once-heading" className="font-semibold text-amber-900">
        Copy the client secret now
      </h2>
      <p className="mt-1 text-sm text-amber-900">
        This is the only time it is shown. It is stored only as a hash, so nobody can show it again; if you lose it, rotate the secret.
      </p>
      <dl className="mt-3 space-y-3">
        {clientId ? <CopyableValue label="Client ID" value={clientId} testId="new-client-id" /> : null}
        <CopyableValue label="Client secret" value={secret} testId="new-client-secret" />
      </dl>
    </section>
  );
}
