import { db } from "@/lib/db";
import { createHealthHandler } from "@/lib/health";

export const GET = createHealthHandler(db);
