-- Sessions from before have no public name: they end, and people sign in again.
DELETE FROM "Session";

-- AlterTable
ALTER TABLE "Session" ADD COLUMN "sid" TEXT NOT NULL DEFAULT '';
ALTER TABLE "AuthorizationCode" ADD COLUMN "sid" TEXT;
ALTER TABLE "RefreshToken" ADD COLUMN "sid" TEXT;
ALTER TABLE "LogoutDelivery" ADD COLUMN "sid" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Session_sid_key" ON "Session"("sid");
