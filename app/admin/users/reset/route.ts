import { sendPasswordResetFor, personNamedIn } from "@/lib/admin";
import { adminFormRoute } from "@/lib/auth/admin-route";

/** Mails the person a password reset link. */
export const POST = adminFormRoute("/admin", async (form, admin) => {
  const user = await personNamedIn(form);
  await sendPasswordResetFor(user, admin);
  return `A password reset link was sent to ${user.email}.`;
});
