-- The management API's scopes on the portal's own API: for client credentials only, issued only to apps an admin owns.
INSERT INTO "ApiScope" ("apiId", "name", "description", "tokenKind", "createdAt") VALUES
  ('portal', 'admin.apps', 'Manage every app of the portal', 'client', CURRENT_TIMESTAMP),
  ('portal', 'admin.users', 'Manage the people of the portal', 'client', CURRENT_TIMESTAMP),
  ('portal', 'admin.audit', 'Read the portal''s audit log', 'client', CURRENT_TIMESTAMP)
ON CONFLICT DO NOTHING;
