-- AlterTable
ALTER TABLE "Client" ADD COLUMN "registeredVia" TEXT;
ALTER TABLE "Client" ADD COLUMN "registrationTokenHash" TEXT;

-- CreateTable
CREATE TABLE "InitialAccessToken" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "createdById" TEXT,
    "usesLeft" INTEGER NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "InitialAccessToken_tokenHash_key" ON "InitialAccessToken"("tokenHash");
