/** What a person reads when a form fails, keyed by the code in the URL or JSON. */
export const formErrorMessages = {
  invalid_credentials: "The email or password is incorrect.",
  account_disabled: "This account is disabled. Contact your administrator.",
  throttled: "Too many attempts. Try again later.",
  busy: "The server is busy. Try again in a moment.",
  csrf: "This form expired or came from another site. Reload the page and try again.",
  email_taken: "An account with this email already exists. Sign in instead.",
  invalid_input: "Check the highlighted fields and try again.",
  sign_up_closed: "This portal does not take sign-ups. Ask an administrator for an account.",
  invalid_link: "This link has expired or was already used. Ask for a new one.",
  account_exists: "An account with this email was created meanwhile. Sign in instead.",
  not_your_sign_up:
    "That is not the password chosen when signing up. If you did not sign up yourself, ignore the mail: no account is made.",
  wrong_password: "The password is incorrect.",
  wrong_code: "That code is not right. Check your authenticator app and try again.",
  second_factor_expired: "This sign-in took too long. Sign in again.",
  passkey_failed: "The passkey was not accepted. Try again, or sign in with your password.",
} as const;

/** What a person reads after something went right, keyed by the `notice` in the URL. */
export const formNotices = {
  password_reset: "Your password was changed and every session signed out. Sign in with the new password.",
  email_confirmed: "Your email is confirmed.",
  account_deleted: "Your account was deleted, and every app's access to it revoked.",
} as const;

export function formNotice(code: unknown): string | undefined {
  return typeof code === "string" && code in formNotices ? formNotices[code as keyof typeof formNotices] : undefined;
}

export type FormErrorCode = keyof typeof formErrorMessages;

/** A wait in words a person reads at a glance: "30 seconds", "14 minutes", "2 hours". */
export function waitInWords(seconds: number): string {
  const unit = (count: number, name: string) => `${count} ${name}${count === 1 ? "" : "s"}`;
  if (seconds < 60) return unit(Math.max(1, Math.ceil(seconds)), "second");
  if (seconds < 3600) return unit(Math.ceil(seconds / 60), "minute");
  return unit(Math.ceil(seconds / 3600), "hour");
}

export function formErrorMessage(code: string | undefined, retryAfterSeconds?: number): string | undefined {
  if (code === "throttled" && retryAfterSeconds) return `Too many attempts. Try again in ${waitInWords(retryAfterSeconds)}.`;
  return code && code in formErrorMessages ? formErrorMessages[code as FormErrorCode] : undefined;
}
