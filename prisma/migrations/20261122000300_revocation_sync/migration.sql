-- CreateIndex
CREATE INDEX "RevokedToken_revokedAt_idx" ON "RevokedToken"("revokedAt");

