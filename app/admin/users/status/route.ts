import { isConfirmed, NOT_CONFIRMED } from "@/lib/auth/confirm";
import { AdminRuleError, setUserDisabled } from "@/lib/admin";
import { adminFormRoute } from "@/lib/auth/admin-route";
import { findUserById } from "@/lib/accounts/users";

/** Disable or enable a person. */
export const POST = adminFormRoute("/admin", async (form, admin) => {
  const user = await findUserById(String(form.get("userId") ?? ""));
  if (!user) throw new AdminRuleError("That account no longer exists.");
  const disabled = form.get("disabled") === "true";
  if (disabled && !isConfirmed(form)) throw new AdminRuleError(NOT_CONFIRMED);
  await setUserDisabled(user, disabled, admin);
  return `${user.email} is ${disabled ? "disabled" : "enabled"}.`;
});
