-- AlterTable
ALTER TABLE "Client" ADD COLUMN "requireDpop" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "RefreshToken" ADD COLUMN "dpopJkt" TEXT;

-- CreateTable
CREATE TABLE "UsedDpopProof" (
    "id" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsedDpopProof_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UsedDpopProof_expiresAt_idx" ON "UsedDpopProof"("expiresAt");
