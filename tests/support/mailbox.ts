/** What the test SMTP server (smtp-sink.ts) received: read from its mail directory. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export type ReceivedMail = {
  to: string[];
  from: string | null;
  fromHeader: string | null;
  subject: string;
  text: string;
  html: string;
  receivedAt: string;
};

function mailDir(): string {
  const dir = process.env.PORTAL_TEST_MAIL_DIR;
  if (!dir) throw new Error("PORTAL_TEST_MAIL_DIR is not set: the test server runs without the test SMTP server");
  return dir;
}

export function allMailTo(address: string, dir = mailDir()): ReceivedMail[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), "utf8")) as ReceivedMail)
    .filter((mail) => mail.to.includes(address.toLowerCase()));
}

/** The newest mail to `address` whose subject matches, waiting for it to arrive (the portal sends right after answering). */
export async function mailTo(
  address: string,
  subject: RegExp = /./,
  options: { timeoutMs?: number; dir?: string; count?: number } = {},
): Promise<ReceivedMail> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const matching = allMailTo(address, options.dir).filter((mail) => subject.test(mail.subject));
    if (matching.length >= (options.count ?? 1)) return matching[matching.length - 1]!;
    if (Date.now() > deadline)
      throw new Error(
        `No mail to ${address} matching ${subject} (got: ${
          allMailTo(address, options.dir)
            .map((mail) => mail.subject)
            .join(" | ") || "none"
        })`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The first link in a mail's text that points at `base` (the portal). */
export function linkIn(mail: ReceivedMail, base: string): string {
  const link = mail.text.match(/https?:\/\/\S+/g)?.find((url) => url.startsWith(base));
  if (!link) throw new Error(`No link to ${base} in: ${mail.text}`);
  return link;
}
