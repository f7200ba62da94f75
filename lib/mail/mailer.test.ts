import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { deliverDueMail, developmentOutbox, queueMail } from "./mailer";

describe("the mail queue", () => {
  it("stores bodies sealed (they carry one-time links) and, in development without SMTP, keeps sent mail for /dev/mail", async () => {
    const to = `queued-${randomUUID()}@example.com`;
    await queueMail({ to, subject: "Hello", text: "Open http://localhost/x?token=secret-link", html: "<p>secret-link</p>" });
    const row = await db().mailMessage.findFirstOrThrow({ where: { to } });
    expect(row.bodySealed).not.toContain("secret-link");
    // queueMail has started a delivery of its own: whichever delivery claims the message, it ends in the outbox.
    const sent = await vi.waitFor(
      async () => {
        await deliverDueMail();
        const found = (await developmentOutbox()).find((mail) => mail.to === to);
        if (!found) throw new Error("not in the outbox yet");
        return found;
      },
      { timeout: 5_000, interval: 50 },
    );
    expect(sent).toMatchObject({ subject: "Hello", text: "Open http://localhost/x?token=secret-link" });
  });
});
