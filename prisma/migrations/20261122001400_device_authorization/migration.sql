-- CreateTable
CREATE TABLE "DeviceAuthorization" (
    "deviceCodeHash" TEXT NOT NULL PRIMARY KEY,
    "userCodeHash" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "audience" TEXT NOT NULL,
    "interval" INTEGER NOT NULL,
    "lastPolledAt" DATETIME,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "userId" TEXT,
    "grantId" TEXT,
    "authTime" DATETIME,
    "consumedAt" DATETIME,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "DeviceAuthorization_userCodeHash_key" ON "DeviceAuthorization"("userCodeHash");

-- CreateIndex
CREATE INDEX "DeviceAuthorization_expiresAt_idx" ON "DeviceAuthorization"("expiresAt");
