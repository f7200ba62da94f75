/**
 * The mail the portal sends, branded, in plain text and HTML. They carry no
 * secret but the one-time link, and say what to do when the mail was not
 * expected.
 */
import { brand } from "@/lib/brand";
import { escapeHtml } from "@/lib/html";
import type { Mail } from "@/lib/mail/mailer";

type Message = { subject: string; heading: string; paragraphs: string[]; action?: { label: string; url: string }; after?: string[] };

function compose(to: string, message: Message): Mail {
  const { name, color, foreground } = brand();
  const text = [
    message.heading,
    "",
    ...message.paragraphs.flatMap((paragraph) => [paragraph, ""]),
    ...(message.action ? [`${message.action.label}: ${message.action.url}`, ""] : []),
    ...(message.after ?? []).flatMap((paragraph) => [paragraph, ""]),
    `— ${name}`,
  ].join("\n");
  const paragraph = (value: string) => `<p style="margin:0 0 16px;line-height:1.5">${escapeHtml(value)}</p>`;
  const html = `<!doctype html><html><body style="margin:0;padding:24px;background:#f8fafc;font-family:system-ui,-apple-system,sans-serif;color:#0f172a">
<div style="max-width:520px;margin:0 auto;background:#ffffff;border:1px solid #e2e8f0;border-radius:8px;padding:32px">
<p style="margin:0 0 24px;font-weight:600;color:${color}">${escapeHtml(name)}</p>
<h1 style="margin:0 0 16px;font-size:20px">${escapeHtml(message.heading)}</h1>
${message.paragraphs.map(paragraph).join("\n")}
${
  message.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(message.action.url)}" style="display:inline-block;padding:10px 16px;border-radius:6px;background:${color};color:${foreground};text-decoration:none;font-weight:600">${escapeHtml(message.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#475569;word-break:break-all">Or open this link: ${escapeHtml(message.action.url)}</p>`
    : ""
}
${(message.after ?? []).map(paragraph).join("\n")}
</div></body></html>`;
  return { to, subject: message.subject, text, html };
}

const NOT_YOU = "If you did not ask for this, you can ignore this mail; nothing changes.";

export function passwordResetMail(to: string, link: string, minutes: number): Mail {
  return compose(to, {
    subject: `Reset your ${brand().name} password`,
    heading: "Reset your password",
    paragraphs: [
      `Someone asked to reset the password of the ${brand().name} account for ${to}. The link works once, for ${minutes} minutes.`,
    ],
    action: { label: "Choose a new password", url: link },
    after: [NOT_YOU],
  });
}

export function confirmSignUpMail(to: string, link: string, hours: number): Mail {
  return compose(to, {
    subject: `Confirm your email for ${brand().name}`,
    heading: "Confirm your email",
    paragraphs: [`Confirm that ${to} is yours to finish creating your ${brand().name} account. The link works once, for ${hours} hours.`],
    action: { label: "Confirm and create my account", url: link },
    after: ["If you did not sign up, ignore this mail: no account is created."],
  });
}

/** To the owner of an account when someone signs up with its email again; the sign-up page says the same "check your email" either way. */
export function signUpAttemptMail(to: string, signInUrl: string, resetUrl: string | null): Mail {
  return compose(to, {
    subject: `Someone tried to create a ${brand().name} account with your email`,
    heading: "You already have an account",
    paragraphs: [
      `Someone tried to create a ${brand().name} account for ${to}, which already has one. No new account was created and yours is unchanged.`,
      `If it was you, sign in instead: ${signInUrl}`,
    ],
    ...(resetUrl ? { action: { label: "Forgot your password? Reset it", url: resetUrl } } : {}),
    after: ["If it was not you, you need not do anything."],
  });
}

export function confirmEmailMail(to: string, link: string, hours: number): Mail {
  return compose(to, {
    subject: `Confirm your email for ${brand().name}`,
    heading: "Confirm your email address",
    paragraphs: [`Confirm that ${to} is yours to use it for your ${brand().name} account. The link works once, for ${hours} hours.`],
    action: { label: "Confirm this email", url: link },
    after: [NOT_YOU],
  });
}

export function emailChangedMail(to: string, newEmail: string): Mail {
  return compose(to, {
    subject: `Your ${brand().name} email was changed`,
    heading: "Your email was changed",
    paragraphs: [`The email of your ${brand().name} account is now ${newEmail}; this address (${to}) no longer signs in.`],
    after: ["If you did not do this, reset your password at once and contact your administrator."],
  });
}

export function passwordChangedMail(to: string): Mail {
  return compose(to, {
    subject: `Your ${brand().name} password was changed`,
    heading: "Your password was changed",
    paragraphs: [`The password of your ${brand().name} account (${to}) was changed, and every other session signed out.`],
    after: ["If you did not do this, reset your password at once and contact your administrator."],
  });
}

/** An admin made an account for someone: the link sets their first password (and confirms the email). */
export function invitationMail(to: string, link: string, invitedBy: string, days: number): Mail {
  return compose(to, {
    subject: `You are invited to ${brand().name}`,
    heading: `An account at ${brand().name} is ready for you`,
    paragraphs: [`${invitedBy} made an account for ${to}. Choose your password to start using it. The link works once, for ${days} days.`],
    action: { label: "Choose my password", url: link },
    after: ["If you did not expect this, ignore this mail: the account stays unusable without a password."],
  });
}
