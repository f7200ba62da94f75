-- The admin lists of people and apps are newest first, a page at a time (createdAt, then id):
-- read through these indexes instead of sorting the whole table for each page.
CREATE INDEX "User_createdAt_id_idx" ON "User"("createdAt", "id");
CREATE INDEX "Client_createdAt_id_idx" ON "Client"("createdAt", "id");
