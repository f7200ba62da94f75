import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { deliverDueMail, developmentOutbox, queueMail } from "./mailer";

describe("the mail queue", () => {
  it("stores bodies sealed (they carry one-time links) and, in development without SMTP, keeps sent mail for /dev/mail", async () => {
    const to = `queued-${randomUUID()}@example.com`;
    await queueMail({ to, subject: "Hello", text: "Open http://localhost/x?token=secret-link", html: "<p>secret-link</p>" });
    const row = await db().mailMessage.findFirstOrThrow({ where: { to } });
    expect(row.bodySealed).not.toContain("secret-link");
    await deliverDueMail();
    const sent = (await developmentOutbox()).find((mail) => mail.to === to);
    expect(sent).toMatchObject({ subject: "Hello", text: "Open http://localhost/x?token=secret-link" });
  });
});
