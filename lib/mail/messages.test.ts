import { describe, expect, it } from "vitest";
import { confirmSignUpMail, passwordResetMail, signUpAttemptMail } from "./messages";

describe("the portal's mail", () => {
  it("is branded, in text and HTML, and carries the one-time link and nothing else secret", () => {
    const link = "http://localhost:3000/reset-password?token=abc123";
    const mail = passwordResetMail("ada@example.com", link, 30);
    expect(mail.subject).toBe("Reset your Identity Portal password");
    expect(mail.text).toContain(link);
    expect(mail.text).toContain("30 minutes");
    expect(mail.text).toContain("If you did not ask for this");
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain("Identity Portal");
    expect(mail.html.match(/token=/g)).toHaveLength(2); // the button and the plain link beside it
  });

  it("escapes what a person typed", () => {
    const mail = confirmSignUpMail('"><script>alert(1)</script>@example.com', "http://localhost:3000/sign-up/confirm?token=t&x=1", 24);
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&#60;script&#62;");
    expect(mail.html).toContain("token=t&#38;x=1");
  });

  it("tells the owner of an existing account about a sign-up without any link that acts", () => {
    const mail = signUpAttemptMail("ada@example.com", "http://localhost:3000/sign-in", "http://localhost:3000/forgot-password");
    expect(mail.text).not.toContain("token=");
    expect(mail.text).toContain("No new account was created");
  });
});
