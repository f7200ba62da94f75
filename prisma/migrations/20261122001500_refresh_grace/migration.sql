-- AlterTable
ALTER TABLE "Client" ADD COLUMN "refreshGraceSeconds" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "RefreshGrace" (
    "parentId" TEXT NOT NULL PRIMARY KEY,
    "response" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "RefreshGrace_expiresAt_idx" ON "RefreshGrace"("expiresAt");
