import { invitePerson } from "@/lib/admin";
import { adminFormRoute } from "@/lib/auth/admin-route";

/** Makes an account and mails its owner an invitation to choose a password. */
export const POST = adminFormRoute("/admin", async (form, admin) => {
  const user = await invitePerson(
    { email: String(form.get("email") ?? ""), name: String(form.get("name") ?? ""), isAdmin: form.get("isAdmin") === "yes" },
    admin,
  );
  return `${user.email} was invited: they choose their password from the mail.`;
});
