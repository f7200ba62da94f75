import { saveScope } from "@/lib/admin";
import { adminFormRoute } from "@/lib/auth/admin-route";

/** Add a scope to the catalog, or edit one's description and token kind. */
export const POST = adminFormRoute("/admin/scopes", async (form, admin) => {
  const name = String(form.get("name") ?? "");
  await saveScope(
    { name, description: String(form.get("description") ?? ""), tokenKind: String(form.get("tokenKind") ?? "") as "user" },
    admin,
    { create: form.get("mode") === "create" },
  );
  return `Scope ${name.trim()} saved.`;
});
