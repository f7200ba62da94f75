-- The scopes catalog starts with the OpenID Connect scopes, each with the
-- sentence a person reads on the consent screen.
INSERT INTO "Scope" ("name", "description", "tokenKind") VALUES
  ('openid', 'Sign you in to the app with your account', 'user'),
  ('profile', 'See your name', 'user'),
  ('email', 'See your email address', 'user'),
  ('offline_access', 'Stay connected when you are not using the app', 'user');
