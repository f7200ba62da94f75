-- AlterTable
ALTER TABLE "Client" ADD COLUMN "allowedOrigins" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Client" ADD COLUMN "postLogoutRedirectUris" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Client" ADD COLUMN "backchannelLogoutUri" TEXT;
