-- AlterTable
ALTER TABLE "LoginThrottle" ADD COLUMN "lastAttemptAt" DATETIME;
