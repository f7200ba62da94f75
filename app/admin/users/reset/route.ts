import { AdminRuleError, sendPasswordResetFor } from "@/lib/admin";
import { findUserById } from "@/lib/accounts/users";
import { adminFormRoute } from "@/lib/auth/admin-route";

/** Mails the person a password reset link. */
export const POST = adminFormRoute("/admin", async (form, admin) => {
  const user = await findUserById(String(form.get("userId") ?? ""));
  if (!user) throw new AdminRuleError("That account no longer exists.");
  await sendPasswordResetFor(user, admin);
  return `A password reset link was sent to ${user.email}.`;
});
