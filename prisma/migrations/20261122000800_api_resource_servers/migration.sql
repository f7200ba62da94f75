-- CreateTable
CREATE TABLE "Api" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "identifier" TEXT,
    "ownerId" TEXT,
    "accessTokenTtl" INTEGER,
    "allowSkipConsent" BOOLEAN NOT NULL DEFAULT false,
    "allowOfflineAccess" BOOLEAN NOT NULL DEFAULT false,
    "offlineAccessScopeRequired" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Api_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ApiScope" (
    "apiId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "tokenKind" TEXT NOT NULL DEFAULT 'any',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("apiId", "name"),
    CONSTRAINT "ApiScope_apiId_fkey" FOREIGN KEY ("apiId") REFERENCES "Api" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- The portal's own API (/api/v1; its identifier follows ISSUER_URL), with the scopes of the old catalog.
INSERT INTO "Api" ("id", "name", "identifier", "allowSkipConsent", "allowOfflineAccess", "offlineAccessScopeRequired", "updatedAt")
  VALUES ('portal', 'Portal API', NULL, 1, 1, 0, CURRENT_TIMESTAMP);
INSERT INTO "ApiScope" ("apiId", "name", "description", "tokenKind", "createdAt")
  SELECT 'portal', "name", "description", "tokenKind", "createdAt" FROM "Scope";

-- AlterTable
ALTER TABLE "Client" ADD COLUMN "requirePkce" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Client" ADD COLUMN "requireOfflineAccess" BOOLEAN NOT NULL DEFAULT false;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Grant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "apiId" TEXT NOT NULL DEFAULT 'portal',
    "scopes" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "revokedReason" TEXT,
    CONSTRAINT "Grant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Grant_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Grant_apiId_fkey" FOREIGN KEY ("apiId") REFERENCES "Api" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Grant" ("apiId", "clientId", "createdAt", "id", "revokedAt", "revokedReason", "scopes", "updatedAt", "userId") SELECT 'portal', "clientId", "createdAt", "id", "revokedAt", "revokedReason", "scopes", "updatedAt", "userId" FROM "Grant";
DROP TABLE "Grant";
ALTER TABLE "new_Grant" RENAME TO "Grant";
CREATE INDEX "Grant_userId_clientId_idx" ON "Grant"("userId", "clientId");
CREATE INDEX "Grant_clientId_idx" ON "Grant"("clientId");
CREATE INDEX "Grant_apiId_idx" ON "Grant"("apiId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Api_identifier_key" ON "Api"("identifier");

