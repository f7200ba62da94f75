/** The answers of recent refreshes, for apps with a grace window (lost responses), shared by every instance. */
import { db } from "@/lib/db";
import { seal, unseal } from "@/lib/crypto";

const PURPOSE = "refresh-grace";

export async function rememberRefreshAnswer(parentId: string, answer: unknown, graceSeconds: number): Promise<void> {
  await db().refreshGrace.create({
    data: { parentId, response: seal(JSON.stringify(answer), PURPOSE), expiresAt: new Date(Date.now() + graceSeconds * 1000) },
  });
}

/** The answer the rotation of this token gave, while its window lasts; null otherwise. */
export async function earlierRefreshAnswer<T>(parentId: string): Promise<T | null> {
  const row = await db().refreshGrace.findUnique({ where: { parentId } });
  return row && row.expiresAt > new Date() ? (JSON.parse(unseal(row.response, PURPOSE)) as T) : null;
}
