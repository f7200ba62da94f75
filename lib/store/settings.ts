/** Portal-wide settings an admin changes at run time, one row per key. */
import { db } from "@/lib/db";

export async function readSetting(key: string): Promise<string | null> {
  return (await db().setting.findUnique({ where: { key } }))?.value ?? null;
}

export async function writeSetting(key: string, value: string): Promise<void> {
  await db().setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}
