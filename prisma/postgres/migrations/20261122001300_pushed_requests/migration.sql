-- AlterTable
ALTER TABLE "Client" ADD COLUMN "requirePushedRequests" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "PushedAuthorizationRequest" (
    "handleHash" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PushedAuthorizationRequest_pkey" PRIMARY KEY ("handleHash")
);

-- CreateIndex
CREATE INDEX "PushedAuthorizationRequest_expiresAt_idx" ON "PushedAuthorizationRequest"("expiresAt");
