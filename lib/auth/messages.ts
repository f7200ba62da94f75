/** What a person reads when a form fails, keyed by the code in the URL or JSON. */
export const formErrorMessages = {
  invalid_credentials: "The email or password is incorrect.",
  account_disabled: "This account is disabled. Contact your administrator.",
  throttled: "Too many attempts. Try again later.",
  csrf: "This form expired or came from another site. Reload the page and try again.",
  email_taken: "An account with this email already exists. Sign in instead.",
  invalid_input: "Check the highlighted fields and try again.",
} as const;

export type FormErrorCode = keyof typeof formErrorMessages;

export function formErrorMessage(code: string | undefined, retryAfterSeconds?: number): string | undefined {
  if (code === "throttled" && retryAfterSeconds) {
    return `Too many attempts. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`;
  }
  return code && code in formErrorMessages ? formErrorMessages[code as FormErrorCode] : undefined;
}
