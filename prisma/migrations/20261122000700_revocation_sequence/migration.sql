-- DropIndex
DROP INDEX "RevokedToken_revokedAt_idx";

-- AlterTable
ALTER TABLE "RevokedToken" ADD COLUMN "seq" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "Counter" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "value" INTEGER NOT NULL DEFAULT 0
);

-- CreateIndex
CREATE INDEX "RevokedToken_seq_idx" ON "RevokedToken"("seq");

INSERT INTO "Counter" ("name", "value") VALUES ('revocation', 0);
