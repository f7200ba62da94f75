/** The apps a person has authorized: their active grants, with the app each is for. */
import { db } from "@/lib/db";

export function listConnections(userId: string) {
  return db().grant.findMany({
    where: { userId, revokedAt: null },
    include: { client: { select: { id: true, name: true, logoUrl: true } } },
    orderBy: { updatedAt: "desc" },
  });
}
