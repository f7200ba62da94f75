/** What a person reads when a form fails, keyed by the code in the URL or JSON. */
export const formErrorMessages = {
  invalid_credentials: "The email or password is incorrect.",
  account_disabled: "This account is disabled. Contact your administrator.",
  throttled: "Too many attempts. Try again later.",
  busy: "The server is busy. Try again in a moment.",
  csrf: "This form expired or came from another site. Reload the page and try again.",
  email_taken: "An account with this email already exists. Sign in instead.",
  invalid_input: "Check the highlighted fields and try again.",
} as const;

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
