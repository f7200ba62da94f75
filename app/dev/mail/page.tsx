import { formatTime } from "@/lib/format";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { headers } from "next/headers";
import { clientIp } from "@/lib/auth/client-ip";
import { getConfig, isLoopbackHost } from "@/lib/config";
import { developmentOutbox } from "@/lib/mail/mailer";

export const metadata: Metadata = { title: "Development outbox" };
export const dynamic = "force-dynamic";

/** Mail the portal would have sent, in development without SMTP_URL, shown to this machine only. Absent everywhere else. */
export default async function DevelopmentOutboxPage() {
  const { production, mail } = getConfig();
  // Reset and sign-up links are in it: a request from elsewhere (TRUST_PROXY names who) does not see it.
  if (production || mail.smtpUrl || !isLoopbackHost(clientIp(await headers()).replace(/^::ffff:/, ""))) notFound();
  const messages = await developmentOutbox();
  return (
    <main className="mx-auto max-w-3xl px-4 py-8">
      <h1 className="text-2xl font-semibold tracking-tight">Development outbox</h1>
      <p className="mt-1 text-sm text-slate-600">
        No SMTP_URL is set, so mail stays here (newest first) and in the server&apos;s console. Set SMTP_URL to send it for real.
      </p>
      {messages.length === 0 ? <p className="mt-6 text-sm">No mail yet.</p> : null}
      <ul className="mt-6 space-y-4" aria-label="Mail">
        {messages.map((message) => (
          <li key={message.id} className="rounded-lg border border-slate-200 bg-white p-4">
            <p className="font-medium">{message.subject}</p>
            <p className="text-sm text-slate-600">
              To {message.to} · {formatTime(message.sentAt)}
            </p>
            <pre className="mt-3 whitespace-pre-wrap break-words text-sm">{message.text}</pre>
          </li>
        ))}
      </ul>
    </main>
  );
}
