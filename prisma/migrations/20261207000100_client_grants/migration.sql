-- Client grants: an API's owner (or an admin; for the portal's own API only an admin) lets an app
-- obtain client-credentials tokens for the API, with some of its scopes.
CREATE TABLE "ClientGrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "apiId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "grantedById" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ClientGrant_apiId_fkey" FOREIGN KEY ("apiId") REFERENCES "Api" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ClientGrant_clientId_fkey" FOREIGN KEY ("clientId") REFERENCES "Client" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ClientGrant_grantedById_fkey" FOREIGN KEY ("grantedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "ClientGrant_apiId_idx" ON "ClientGrant"("apiId");
CREATE INDEX "ClientGrant_grantedById_idx" ON "ClientGrant"("grantedById");
CREATE UNIQUE INDEX "ClientGrant_clientId_apiId_key" ON "ClientGrant"("clientId", "apiId");

-- Apps keep the machine access they had where one person holds both sides: an app with the client
-- credentials grant gets a grant on each API its owner owns, with the scopes of its list that the
-- API offers for client credentials, given by that owner.
INSERT INTO "ClientGrant" ("id", "apiId", "clientId", "scopes", "grantedById", "createdAt", "updatedAt")
SELECT 'migrated-' || c."id" || '-' || a."id", a."id", c."id", group_concat(s."name", ' '), a."ownerId", CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM "Client" c
JOIN "Api" a ON a."ownerId" = c."ownerId" AND a."id" <> 'portal'
JOIN "ApiScope" s ON s."apiId" = a."id" AND s."tokenKind" <> 'user' AND instr(' ' || c."scopes" || ' ', ' ' || s."name" || ' ') > 0
WHERE instr(' ' || c."grantTypes" || ' ', ' client_credentials ') > 0
GROUP BY c."id", a."id", a."ownerId";

-- The portal's own API (the management scopes among them): only for apps an active admin owns, given by that admin.
INSERT INTO "ClientGrant" ("id", "apiId", "clientId", "scopes", "grantedById", "createdAt", "updatedAt")
SELECT 'migrated-' || c."id" || '-portal', 'portal', c."id", group_concat(s."name", ' '), u."id", CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
FROM "Client" c
JOIN "User" u ON u."id" = c."ownerId" AND u."isAdmin" = 1 AND u."disabledAt" IS NULL
JOIN "ApiScope" s ON s."apiId" = 'portal' AND s."tokenKind" <> 'user' AND instr(' ' || c."scopes" || ' ', ' ' || s."name" || ' ') > 0
WHERE instr(' ' || c."grantTypes" || ' ', ' client_credentials ') > 0
GROUP BY c."id", u."id";

-- The management scopes leave every app's list of scopes: they only ever meant client credentials,
-- which client grants now carry.
UPDATE "Client" SET "scopes" = trim(replace(replace(replace(' ' || "scopes" || ' ', ' admin.apps ', ' '), ' admin.users ', ' '), ' admin.audit ', ' '))
WHERE instr(' ' || "scopes" || ' ', ' admin.') > 0;
