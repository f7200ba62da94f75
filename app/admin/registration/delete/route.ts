import { AdminRuleError, deleteRegistrationToken } from "@/lib/admin";
import { isConfirmed, NOT_CONFIRMED } from "@/lib/auth/confirm";
import { adminFormRoute } from "@/lib/auth/admin-route";

/** Deletes an initial access token: registrations with it are refused from now on. */
export const POST = adminFormRoute("/admin/registration", async (form, admin) => {
  if (!isConfirmed(form)) throw new AdminRuleError(NOT_CONFIRMED);
  await deleteRegistrationToken(String(form.get("id") ?? ""), admin);
  return `Token ${String(form.get("label") ?? "")} deleted.`;
});
