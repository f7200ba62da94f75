-- Events recorded before ids were time-ordered (random version 4 UUIDs) get
-- version 7 ids made from their time and their old random bits, so that the
-- lists and retention, which go by id, place them where they belong.
UPDATE "AuditEvent" SET "id" = substr(t.hex, 1, 8) || '-' || substr(t.hex, 9, 4) || '-7' || substr("AuditEvent"."id", 16, 3) || '-' || substr("AuditEvent"."id", 20, 4) || '-' || substr("AuditEvent"."id", 25, 12)
FROM (SELECT "id", lpad(to_hex(floor(extract(epoch FROM "createdAt") * 1000)::bigint), 12, '0') AS hex FROM "AuditEvent" WHERE substr("id", 15, 1) <> '7') AS t
WHERE t."id" = "AuditEvent"."id";

-- The audit log is listed newest first by id (ids are time-ordered): indexes
-- ending in the id let a list walk backwards instead of sorting every
-- matching event, and let retention delete the oldest by id.
DROP INDEX "AuditEvent_clientId_createdAt_idx";
DROP INDEX "AuditEvent_userId_createdAt_idx";
DROP INDEX "AuditEvent_type_createdAt_idx";
CREATE INDEX "AuditEvent_clientId_id_idx" ON "AuditEvent"("clientId", "id");
CREATE INDEX "AuditEvent_userId_id_idx" ON "AuditEvent"("userId", "id");
CREATE INDEX "AuditEvent_type_id_idx" ON "AuditEvent"("type", "id");

-- When an app's secret was last rotated is kept on the app, not looked up in
-- the audit log, whose retention may already have deleted the event.
ALTER TABLE "Client" ADD COLUMN "secretRotatedAt" TIMESTAMP(3);
UPDATE "Client" SET "secretRotatedAt" = rotated."at"
FROM (SELECT "clientId", max("createdAt") AS "at" FROM "AuditEvent" WHERE "type" = 'client.secret_rotated' GROUP BY "clientId") AS rotated
WHERE rotated."clientId" = "Client"."id";
