-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "requireOfflineAccess" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "requirePkce" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Grant" ADD COLUMN     "apiId" TEXT NOT NULL DEFAULT 'portal';

-- CreateTable
CREATE TABLE "Api" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "identifier" TEXT,
    "ownerId" TEXT,
    "accessTokenTtl" INTEGER,
    "allowSkipConsent" BOOLEAN NOT NULL DEFAULT false,
    "allowOfflineAccess" BOOLEAN NOT NULL DEFAULT false,
    "offlineAccessScopeRequired" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Api_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiScope" (
    "apiId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "tokenKind" TEXT NOT NULL DEFAULT 'any',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApiScope_pkey" PRIMARY KEY ("apiId","name")
);

-- The portal's own API (/api/v1; its identifier follows ISSUER_URL), with the scopes of the old catalog.
INSERT INTO "Api" ("id", "name", "identifier", "allowSkipConsent", "allowOfflineAccess", "offlineAccessScopeRequired", "updatedAt")
  VALUES ('portal', 'Portal API', NULL, true, true, false, CURRENT_TIMESTAMP);
INSERT INTO "ApiScope" ("apiId", "name", "description", "tokenKind", "createdAt")
  SELECT 'portal', "name", "description", "tokenKind", "createdAt" FROM "Scope";

-- CreateIndex
CREATE UNIQUE INDEX "Api_identifier_key" ON "Api"("identifier");

-- CreateIndex
CREATE INDEX "Grant_apiId_idx" ON "Grant"("apiId");

-- AddForeignKey
ALTER TABLE "Api" ADD CONSTRAINT "Api_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiScope" ADD CONSTRAINT "ApiScope_apiId_fkey" FOREIGN KEY ("apiId") REFERENCES "Api"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grant" ADD CONSTRAINT "Grant_apiId_fkey" FOREIGN KEY ("apiId") REFERENCES "Api"("id") ON DELETE CASCADE ON UPDATE CASCADE;
