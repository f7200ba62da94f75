import { isConfirmed, NOT_CONFIRMED } from "@/lib/auth/confirm";
import { AdminRuleError, setUserDisabled, personNamedIn } from "@/lib/admin";
import { adminFormRoute } from "@/lib/auth/admin-route";

/** Disable or enable a person. */
export const POST = adminFormRoute("/admin", async (form, admin) => {
  const user = await personNamedIn(form);
  const disabled = form.get("disabled") === "true";
  if (disabled && !isConfirmed(form)) throw new AdminRuleError(NOT_CONFIRMED);
  await setUserDisabled(user, disabled, admin);
  return `${user.email} is ${disabled ? "disabled" : "enabled"}.`;
});
