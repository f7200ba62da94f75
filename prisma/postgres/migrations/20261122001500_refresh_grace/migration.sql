-- AlterTable
ALTER TABLE "Client" ADD COLUMN "refreshGraceSeconds" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "RefreshGrace" (
    "parentId" TEXT NOT NULL,
    "response" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RefreshGrace_pkey" PRIMARY KEY ("parentId")
);

-- CreateIndex
CREATE INDEX "RefreshGrace_expiresAt_idx" ON "RefreshGrace"("expiresAt");
