import { isConfirmed, NOT_CONFIRMED } from "@/lib/auth/confirm";
import { AdminRuleError, setClientFirstParty } from "@/lib/admin";
import { adminFormRoute } from "@/lib/auth/admin-route";
import { setClientDisabled } from "@/lib/oauth/clients";
import { findClient } from "@/lib/oauth/store/clients";

/** Mark an app first-party (or not), or disable (or enable) it. */
export const POST = adminFormRoute("/admin/apps", async (form, admin) => {
  const client = await findClient(String(form.get("clientId") ?? ""));
  if (!client) throw new AdminRuleError("That app no longer exists.");
  const value = form.get("value") === "true";
  if (form.get("flag") === "firstParty") {
    await setClientFirstParty(client, value, admin);
    return `${client.name} is ${value ? "now" : "no longer"} first-party.`;
  }
  if (value && !isConfirmed(form)) throw new AdminRuleError(NOT_CONFIRMED);
  await setClientDisabled(client, value, admin.id);
  return `${client.name} is ${value ? "disabled" : "enabled"}.`;
});
