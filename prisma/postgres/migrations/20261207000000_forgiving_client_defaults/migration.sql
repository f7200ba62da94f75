-- A confidential app's default becomes its secret by HTTP Basic or in the body ('client_secret').
-- The stored data cannot tell a chosen client_secret_basic from the old default, so every app
-- registered in the dashboard, the CLI or the management API with it takes the new default;
-- dynamically registered apps keep what they registered (RFC 7591: what a client asked for).
ALTER TABLE "Client" ALTER COLUMN "tokenEndpointAuthMethod" SET DEFAULT 'client_secret';
UPDATE "Client" SET "tokenEndpointAuthMethod" = 'client_secret'
WHERE "tokenEndpointAuthMethod" = 'client_secret_basic' AND "registeredVia" IS NULL;

-- New apps with no scopes named may ask, for a person, any scope an API offers people.
-- Existing apps keep their lists.
ALTER TABLE "Client" ADD COLUMN "anyUserScope" BOOLEAN NOT NULL DEFAULT false;
