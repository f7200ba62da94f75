import { adminFormRoute } from "@/lib/auth/admin-route";
import { recordEvent } from "@/lib/events";
import { secondFactorPolicySchema, setSecondFactorPolicy } from "@/lib/settings";

const NOTICES = {
  off: "A second factor is optional for everyone.",
  admins: "Admins must now use a second factor.",
  everyone: "Everyone must now use a second factor.",
};

export const POST = adminFormRoute("/admin/security", async (form, admin) => {
  const policy = secondFactorPolicySchema.parse(form.get("secondFactor"));
  await setSecondFactorPolicy(policy);
  await recordEvent({ type: "settings.updated", userId: admin.id, details: { secondFactorRequired: policy } });
  return NOTICES[policy];
});
