/**
 * Actions that cannot be taken back in a click (rotating a secret at once,
 * revoking an app's access, disabling an app or a person, deleting) go
 * through a confirmation step: the button opens a second form
 * (components/ui/confirm-step.tsx, plain HTML, no JavaScript needed), and
 * only that form carries CONFIRM_FIELD. The handler refuses a post without it.
 */
export const CONFIRM_FIELD = "confirm";
export const CONFIRM_VALUE = "yes";

export function isConfirmed(form: FormData): boolean {
  return form.get(CONFIRM_FIELD) === CONFIRM_VALUE;
}

export const NOT_CONFIRMED = "Confirm first: open the step again and press its confirm button.";
