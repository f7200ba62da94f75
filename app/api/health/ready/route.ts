import { db } from "@/lib/db";
import { createReadinessHandler } from "@/lib/health";
import { pendingMigrations } from "@/lib/setup/migrate";

export const GET = createReadinessHandler({ database: db, pendingMigrations });
