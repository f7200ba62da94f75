/**
 * A real SMTP server for the tests (the `smtp-server` package), run as its
 * own process beside the portal: every message it receives is parsed and
 * written to the mail directory as JSON, where tests read what the portal
 * sent. Usage: node --import tsx tests/support/smtp-sink.ts <mail dir>
 * (writes the port it listens on to <mail dir>/port).
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

const directory = process.argv[2];
if (!directory) throw new Error("usage: smtp-sink.ts <mail dir>");

const refusedOnce = new Set<string>();

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  // A test sees the portal retry by writing to refuse-once-…: the first attempt is refused as a temporary failure.
  onRcptTo(address, _session, callback) {
    if (address.address.startsWith("refuse-once-") && !refusedOnce.has(address.address)) {
      refusedOnce.add(address.address);
      return callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 450 }));
    }
    callback();
  },
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const record = {
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          fromHeader: mail.from?.text ?? null,
          subject: mail.subject ?? "",
          text: mail.text ?? "",
          html: typeof mail.html === "string" ? mail.html : "",
          receivedAt: new Date().toISOString(),
        };
        writeFileSync(path.join(directory, `${Date.now()}-${randomUUID()}.json`), JSON.stringify(record));
        callback();
      })
      .catch(callback);
  },
});

server.listen(0, "127.0.0.1", () => {
  const address = server.server.address();
  if (typeof address !== "object" || !address) throw new Error("no address");
  writeFileSync(path.join(directory, "port"), String(address.port));
});

process.on("SIGTERM", () => server.close(() => process.exit(0)));
