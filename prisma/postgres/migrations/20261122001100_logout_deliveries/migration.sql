-- CreateTable
CREATE TABLE "LogoutDelivery" (
    "id" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "uri" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "claimedUntil" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "failedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LogoutDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LogoutDelivery_nextAttemptAt_idx" ON "LogoutDelivery"("nextAttemptAt");

-- CreateIndex
CREATE INDEX "LogoutDelivery_clientId_idx" ON "LogoutDelivery"("clientId");

-- AddForeignKey
ALTER TABLE "LogoutDelivery" ADD CONSTRAINT "LogoutDelivery_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client"("id") ON DELETE CASCADE ON UPDATE CASCADE;


