"use client";

import { useEffect, useState } from "react";
import type { ConsoleStep } from "@/app/(dashboard)/dashboard/apps/[clientId]/playground/actions";
import { Alert } from "@/components/ui/alert";
import { CSRF_FIELD } from "@/lib/auth/csrf-field";
import type { ConsoleAnswer, DecodedToken } from "@/lib/oauth/playground-console";

type Props = {
  action: (form: FormData) => Promise<ConsoleStep>;
  csrf: string;
  clientId: string;
  confidential: boolean;
  code: string;
  state: string;
};

const button = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60";

function Countdown({ expiresAt }: { expiresAt: number }) {
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  useEffect(() => {
    const timer = setInterval(() => setNow(Math.floor(Date.now() / 1000)), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = expiresAt - now;
  return <span data-testid="expires-in">{left > 0 ? `expires in ${Math.floor(left / 60)} min ${left % 60} s` : "expired"}</span>;
}

function Token({ token }: { token: DecodedToken }) {
  return (
    <section aria-label={`Decoded ${token.name}`} className="rounded-md border border-slate-200 p-3">
      <h4 className="text-sm font-semibold">
        {token.name} ·{" "}
        {token.verified ? (
          <span className="text-emerald-700">signature verified against the JWKS</span>
        ) : (
          <span className="text-red-700">signature not verified: {token.problem}</span>
        )}
        {token.expiresAt ? (
          <>
            {" "}
            · <Countdown expiresAt={token.expiresAt} />
          </>
        ) : null}
      </h4>
      <pre tabIndex={0} className="mt-2 overflow-x-auto rounded bg-slate-50 p-2 text-xs">
        {JSON.stringify(token.header, null, 2)}
      </pre>
      <pre tabIndex={0} className="mt-2 overflow-x-auto rounded bg-slate-50 p-2 text-xs">
        {JSON.stringify(token.claims, null, 2)}
      </pre>
    </section>
  );
}

function Answer({ answer }: { answer: ConsoleAnswer }) {
  return (
    <section aria-label={answer.endpoint} className="space-y-2">
      <h3 className="text-sm font-semibold">
        {answer.endpoint} → {answer.status}
      </h3>
      <pre tabIndex={0} className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100" data-testid="answer">
        {JSON.stringify(answer.body, null, 2)}
      </pre>
      {answer.tokens.map((token) => (
        <Token key={token.name} token={token} />
      ))}
    </section>
  );
}

/**
 * The code the run came back with, then each call the owner makes with it:
 * the exchange, userinfo, refresh, introspection and revocation, with every
 * answer and token shown. A confidential app's secret stays in this page
 * (and goes with each call); the portal never keeps it.
 */
export function PlaygroundConsole({ action, csrf, clientId, confidential, code, state }: Props) {
  const [secret, setSecret] = useState("");
  const [answers, setAnswers] = useState<ConsoleAnswer[]>([]);
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);
  const latest = (name: string) => {
    for (const answer of [...answers].reverse()) {
      const value = (answer.body as Record<string, unknown> | null)?.[name];
      if (typeof value === "string") return value;
    }
    return undefined;
  };
  const accessToken = latest("access_token");
  const refreshToken = latest("refresh_token");

  async function run(operation: string, extra: Record<string, string> = {}) {
    setPending(true);
    setError(undefined);
    const form = new FormData();
    for (const [name, value] of Object.entries({ [CSRF_FIELD]: csrf, clientId, operation, secret, ...extra })) form.set(name, value);
    const step = await action(form);
    if (step.answer) setAnswers((previous) => [...previous, step.answer!]);
    setError(step.error);
    setPending(false);
  }

  return (
    <div className="space-y-4">
      <p className="text-sm">
        The run came back with the code{" "}
        <code className="break-all rounded bg-slate-100 px-1 font-mono" data-testid="code">
          {code}
        </code>
      </p>
      {confidential ? (
        <label className="block text-sm font-medium text-slate-700">
          Client secret (used for each call from this page, never stored)
          <input
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(event) => setSecret(event.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
          />
        </label>
      ) : (
        <p className="text-sm text-slate-600">A public app: the exchange proves itself with the PKCE verifier this run kept.</p>
      )}
      {error ? <Alert>{error}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        <button type="button" className={button} disabled={pending} onClick={() => run("exchange", { code, state })}>
          Exchange the code
        </button>
        <button
          type="button"
          className={button}
          disabled={pending || !accessToken}
          onClick={() => run("userinfo", { token: accessToken! })}
        >
          Call userinfo
        </button>
        <button
          type="button"
          className={button}
          disabled={pending || !refreshToken}
          onClick={() => run("refresh", { token: refreshToken! })}
        >
          Refresh
        </button>
        {confidential ? (
          <button
            type="button"
            className={button}
            disabled={pending || !accessToken}
            onClick={() => run("introspect", { token: accessToken! })}
          >
            Introspect
          </button>
        ) : null}
        <button
          type="button"
          className={button}
          disabled={pending || !accessToken}
          onClick={() => run("revoke", { token: refreshToken ?? accessToken! })}
        >
          Revoke {refreshToken ? "the refresh token" : "the access token"}
        </button>
      </div>
      {answers
        // biome-ignore lint/suspicious/noArrayIndexKey: answers are only ever appended, so the index is each one's identity
        .map((answer, index) => <Answer key={index} answer={answer} />)
        .reverse()}
    </div>
  );
}
