-- Scopes of the portal's own API (/api/v1), with the sentence a person reads on the consent screen.
INSERT INTO "Scope" ("name", "description", "tokenKind") VALUES
  ('apps.read', 'See the apps you have registered as a developer', 'user'),
  ('connections.read', 'See which apps you have connected to your account', 'user');
