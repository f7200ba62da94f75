-- AlterTable
ALTER TABLE "Client" ADD COLUMN "requirePushedRequests" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "PushedAuthorizationRequest" (
    "handleHash" TEXT NOT NULL PRIMARY KEY,
    "clientId" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "PushedAuthorizationRequest_expiresAt_idx" ON "PushedAuthorizationRequest"("expiresAt");
