-- Events recorded before ids were time-ordered (random version 4 UUIDs) get
-- version 7 ids made from their time and their old random bits, so that the
-- lists and retention, which go by id, place them where they belong.
UPDATE "AuditEvent" SET "id" = (
  SELECT substr(hex, 1, 8) || '-' || substr(hex, 9, 4) || '-7' || substr("AuditEvent"."id", 16, 3) || '-' || substr("AuditEvent"."id", 20, 4) || '-' || substr("AuditEvent"."id", 25, 12)
  FROM (SELECT printf('%012x', CASE WHEN typeof("AuditEvent"."createdAt") = 'integer' THEN "AuditEvent"."createdAt"
    ELSE CAST(round((julianday("AuditEvent"."createdAt") - 2440587.5) * 86400000) AS INTEGER) END) AS hex)
)
WHERE substr("id", 15, 1) <> '7';

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
ALTER TABLE "Client" ADD COLUMN "secretRotatedAt" DATETIME;
UPDATE "Client" SET "secretRotatedAt" = (
  SELECT max("createdAt") FROM "AuditEvent" WHERE "AuditEvent"."type" = 'client.secret_rotated' AND "AuditEvent"."clientId" = "Client"."id"
);
