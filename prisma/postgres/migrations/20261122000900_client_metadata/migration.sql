-- AlterTable
ALTER TABLE "Client" ADD COLUMN "applicationType" TEXT NOT NULL DEFAULT 'web';
ALTER TABLE "Client" ADD COLUMN "tokenEndpointAuthMethod" TEXT NOT NULL DEFAULT 'client_secret_basic';
ALTER TABLE "Client" ADD COLUMN "jwks" TEXT;
ALTER TABLE "Client" ADD COLUMN "jwksUri" TEXT;
ALTER TABLE "Client" ADD COLUMN "accessTokenTtl" INTEGER;
ALTER TABLE "Client" ADD COLUMN "refreshTokenTtl" INTEGER;
ALTER TABLE "Client" ADD COLUMN "idTokenSignedResponseAlg" TEXT;

-- Public apps authenticate with none. They keep RFC 8252's any-port loopback redirects as native apps
-- (a public web app can be switched back to web in the dashboard); confidential apps stay on client_secret_basic.
UPDATE "Client" SET "tokenEndpointAuthMethod" = 'none', "applicationType" = 'native' WHERE "isConfidential" = false;

-- CreateTable
CREATE TABLE "UsedClientAssertion" (
    "id" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UsedClientAssertion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UsedClientAssertion_expiresAt_idx" ON "UsedClientAssertion"("expiresAt");
