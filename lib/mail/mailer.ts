/**
 * Mail out of the portal. A message is queued as a row in the request that
 * causes it (so a sign-up for a taken email answers as fast as one for a free
 * email) and sent right after by this instance, or retried by any instance
 * (every few seconds, lib/queues.ts, with backoff). With SMTP_URL set it goes through that
 * server; without it, in development, it goes to the outbox shown at
 * /dev/mail and to the console, so the quick start needs nothing else.
 */
import nodemailer, { type Transporter } from "nodemailer";
import { getConfig } from "@/lib/config";
import { seal, unseal } from "@/lib/crypto";
import { retryAt } from "@/lib/queues";
import { claimDueMessages, insertMessage, listSentMessages, markAttemptFailed, markSent } from "@/lib/mail/store/messages";

export type Mail = { to: string; subject: string; text: string; html: string };

const SEAL_PURPOSE = "mail-body";

export class MailUnavailableError extends Error {
  override name = "MailUnavailableError";
  constructor() {
    super("Mail cannot be sent: SMTP_URL is not set");
  }
}

export async function queueMail(mail: Mail): Promise<void> {
  if (!getConfig().mail.available) throw new MailUnavailableError();
  const bodySealed = seal(JSON.stringify({ text: mail.text, html: mail.html }), SEAL_PURPOSE);
  await insertMessage({ to: mail.to, subject: mail.subject, bodySealed });
  void deliverDueMail().catch((error: unknown) => console.error("mail delivery failed:", error));
}

/** Seconds to wait before each retry; after the last (about a day in all), the message is given up. */
const RETRY_DELAYS = [10, 60, 300, 1800, 7200, 6 * 3600, 16 * 3600];

let transport: Transporter | undefined;

function smtpTransport(url: string): Transporter {
  transport ??= nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  return transport;
}

/** Sends what is due; each message is claimed first, so instances never send one twice at once. */
export async function deliverDueMail(): Promise<void> {
  const { smtpUrl, from } = getConfig().mail;
  for (const message of await claimDueMessages(20)) {
    const body = JSON.parse(unseal(message.bodySealed, SEAL_PURPOSE)) as { text: string; html: string };
    if (!smtpUrl) {
      console.log(`mail to ${message.to} (development outbox, /dev/mail): ${message.subject}\n${body.text}`);
      await markSent(message.id, true);
      continue;
    }
    try {
      await smtpTransport(smtpUrl).sendMail({ from, to: message.to, subject: message.subject, text: body.text, html: body.html });
      await markSent(message.id, false);
    } catch (error) {
      const again = retryAt(RETRY_DELAYS, message.attempts);
      await markAttemptFailed(message.id, (error as Error).message, again);
      console.error(
        `mail to ${message.to} not sent (attempt ${message.attempts + 1}${again ? `, again at ${again.toISOString()}` : ", giving up"}): ${(error as Error).message}`,
      );
    }
  }
}

export type OutboxEntry = { id: string; to: string; subject: string; text: string; html: string; sentAt: Date };

/** Development's outbox: mail the portal would have sent, newest first. */
export async function developmentOutbox(limit = 50): Promise<OutboxEntry[]> {
  return (await listSentMessages(limit)).map((message) => {
    const body = JSON.parse(unseal(message.bodySealed, SEAL_PURPOSE)) as { text: string; html: string };
    return { id: message.id, to: message.to, subject: message.subject, ...body, sentAt: message.sentAt! };
  });
}
