import { AdminRuleError, deletePerson, personNamedIn } from "@/lib/admin";
import { adminFormRoute } from "@/lib/auth/admin-route";
import { isConfirmed, NOT_CONFIRMED } from "@/lib/auth/confirm";

/** Deletes a person (after a confirmation step); their apps and APIs become this admin's. */
export const POST = adminFormRoute("/admin", async (form, admin) => {
  const user = await personNamedIn(form);
  if (!isConfirmed(form)) throw new AdminRuleError(NOT_CONFIRMED);
  await deletePerson(user, admin);
  return `${user.email} was deleted; their apps and APIs are now yours.`;
});
