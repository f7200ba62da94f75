-- The admins' searches of people and apps match the start of an email or a name, through an index
-- (a match anywhere in the text read every row). Names are searched in lower case.
ALTER TABLE "User" ADD COLUMN "searchName" TEXT;
UPDATE "User" SET "searchName" = lower("name") WHERE "name" IS NOT NULL;
CREATE INDEX "User_searchName_idx" ON "User"("searchName");
ALTER TABLE "Client" ADD COLUMN "searchName" TEXT NOT NULL DEFAULT '';
UPDATE "Client" SET "searchName" = lower("name");
CREATE INDEX "Client_searchName_idx" ON "Client"("searchName");
-- A developer's own apps, and the apps of the owners a search names, without reading every app.
CREATE INDEX "Client_ownerId_idx" ON "Client"("ownerId");
