/**
 * Settings admins change in the admin pages (not environment variables):
 * stored in the database so every instance sees them, and read through a
 * cache that is at most SETTINGS_CACHE_MS stale in other instances (the
 * instance that writes forgets its copy at once).
 */
import { z } from "zod";
import { readSetting, writeSetting } from "@/lib/store/settings";

export const SETTINGS_CACHE_MS = 10_000;

export const secondFactorPolicySchema = z.enum(["off", "admins", "everyone"]);
export type SecondFactorPolicy = z.infer<typeof secondFactorPolicySchema>;

const KEY = "second_factor_required";
let cached: { value: SecondFactorPolicy; at: number } | undefined;

/** Who must use a second factor: nobody (it stays optional), admins, or everyone. */
export async function secondFactorPolicy(): Promise<SecondFactorPolicy> {
  if (cached && Date.now() - cached.at < SETTINGS_CACHE_MS) return cached.value;
  const parsed = secondFactorPolicySchema.safeParse(await readSetting(KEY));
  cached = { value: parsed.success ? parsed.data : "off", at: Date.now() };
  return cached.value;
}

export async function setSecondFactorPolicy(value: SecondFactorPolicy): Promise<void> {
  await writeSetting(KEY, secondFactorPolicySchema.parse(value));
  cached = undefined;
}

export async function secondFactorRequiredFor(user: { isAdmin: boolean }): Promise<boolean> {
  const policy = await secondFactorPolicy();
  return policy === "everyone" || (policy === "admins" && user.isAdmin);
}
