import { AdminRuleError, setUserAdmin, personNamedIn } from "@/lib/admin";
import { adminFormRoute } from "@/lib/auth/admin-route";
import { isConfirmed, NOT_CONFIRMED } from "@/lib/auth/confirm";

/** Makes a person an admin (after a confirmation step), or no longer one. */
export const POST = adminFormRoute("/admin", async (form, admin) => {
  const user = await personNamedIn(form);
  const isAdmin = form.get("isAdmin") === "true";
  if (isAdmin && !isConfirmed(form)) throw new AdminRuleError(NOT_CONFIRMED);
  await setUserAdmin(user, isAdmin, admin);
  return `${user.email} is ${isAdmin ? "now an admin" : "no longer an admin"}.`;
});
