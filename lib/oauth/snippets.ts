/**
 * Quick-start code for an app's page, with the app's own values: curl,
 * Node (openid-client), Next.js (Auth.js) and Python (Authlib). Each runs as
 * shown (tests/integration/snippets.test.ts runs them against the portal;
 * the Auth.js one through tests/clients/nextjs-authjs) and reads the secret
 * from CLIENT_SECRET rather than holding it.
 */
export type SnippetInput = {
  issuer: string;
  clientId: string;
  redirectUri: string;
  /** The app's token_endpoint_auth_method: how each snippet sends its credentials. */
  authMethod: "client_secret_basic" | "client_secret_post" | "none";
  scope: string;
  brandName: string;
};

export type Snippets = { curl: string; node: string; nextjs: string; python: string };

const shellQuote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`;

export function quickStartSnippets(app: SnippetInput): Snippets {
  const insecure = app.issuer.startsWith("http://");
  const confidential = app.authMethod !== "none";
  const authorizeQuery = `response_type=code&client_id=${encodeURIComponent(app.clientId)}&redirect_uri=${encodeURIComponent(app.redirectUri)}&scope=${encodeURIComponent(app.scope)}`;
  const curlAuth =
    app.authMethod === "client_secret_basic"
      ? `-u ${shellQuote(app.clientId)}:"$CLIENT_SECRET"`
      : `-d client_id=${shellQuote(app.clientId)}${app.authMethod === "client_secret_post" ? ' -d client_secret="$CLIENT_SECRET"' : ""}`;
  const curl = `#!/bin/sh
# Sign in with ${app.brandName}: the authorization code grant with PKCE.${confidential ? "\n# CLIENT_SECRET must hold the app's secret." : ""}
ISSUER=${shellQuote(app.issuer)}
CODE_VERIFIER=$(openssl rand -base64 48 | tr -d '=+/\\n' | cut -c1-64)
CODE_CHALLENGE=$(printf %s "$CODE_VERIFIER" | openssl dgst -binary -sha256 | openssl base64 -A | tr '+/' '-_' | tr -d '=')
echo "Open this, sign in and consent; then paste the address you land on:"
echo "$ISSUER/oauth/authorize?${authorizeQuery}&code_challenge=$CODE_CHALLENGE&code_challenge_method=S256"
read -r CALLBACK
CODE=$(printf %s "$CALLBACK" | sed -n 's/.*[?&]code=\\([^&]*\\).*/\\1/p')
curl -s "$ISSUER/oauth/token" ${curlAuth} \\
  -d grant_type=authorization_code -d code="$CODE" \\
  --data-urlencode redirect_uri=${shellQuote(app.redirectUri)} -d code_verifier="$CODE_VERIFIER"
`;

  // discovery(server, clientId, secret?, clientAuthentication?, options?): plain http (a local portal) must be allowed outright.
  const clientAuthentication = {
    client_secret_basic: "client.ClientSecretBasic(process.env.CLIENT_SECRET)",
    client_secret_post: "client.ClientSecretPost(process.env.CLIENT_SECRET)",
    none: "client.None()",
  }[app.authMethod];
  const discoveryArguments = [
    `new URL(${JSON.stringify(app.issuer)})`,
    JSON.stringify(app.clientId),
    "undefined",
    clientAuthentication,
    ...(insecure ? ["{ execute: [client.allowInsecureRequests] }"] : []),
  ];
  const node = `// npm install openid-client   (then: node sign-in.mjs)
import * as client from "openid-client";
import * as readline from "node:readline/promises";

const config = await client.discovery(${discoveryArguments.join(", ")});
const codeVerifier = client.randomPKCECodeVerifier();
const url = client.buildAuthorizationUrl(config, {
  redirect_uri: ${JSON.stringify(app.redirectUri)},
  scope: ${JSON.stringify(app.scope)},
  code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
  code_challenge_method: "S256",
});
console.log("Open this, sign in and consent; then paste the address you land on:");
console.log(url.href);
const prompt = readline.createInterface({ input: process.stdin });
const callback = new URL((await prompt[Symbol.asyncIterator]().next()).value);
prompt.close();
const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: codeVerifier });
console.log(JSON.stringify({ access_token: tokens.access_token, id_token_claims: tokens.claims(), refresh_token: tokens.refresh_token }, null, 2));
`;

  const nextjs = `// auth.ts (Auth.js v5: npm install next-auth@beta), with app/api/auth/[...nextauth]/route.ts exporting handlers.
// Register https://<your app>/api/auth/callback/portal as a redirect URI of this app.
import NextAuth from "next-auth";

export const { handlers, auth, signIn, signOut } = NextAuth({
  providers: [
    {
      id: "portal",
      name: ${JSON.stringify(app.brandName)},
      type: "oidc",
      issuer: ${JSON.stringify(app.issuer)},
      clientId: ${JSON.stringify(app.clientId)},
      ${confidential ? "clientSecret: process.env.CLIENT_SECRET," : "// a public app: no secret"}
      client: { token_endpoint_auth_method: "${app.authMethod}" },
      checks: ["pkce", "state"],
      authorization: { params: { scope: ${JSON.stringify(app.scope)} } },
    },
  ],
});
`;

  const python = `# pip install Authlib requests   (then: python sign_in.py)
import json, os
from authlib.integrations.requests_client import OAuth2Session
from authlib.common.security import generate_token
${insecure ? 'os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # the portal is served over plain http (development)\n' : ""}
issuer = ${JSON.stringify(app.issuer)}
session = OAuth2Session(
    ${JSON.stringify(app.clientId)},${confidential ? '\n    os.environ["CLIENT_SECRET"],' : ""}
    scope=${JSON.stringify(app.scope)},
    redirect_uri=${JSON.stringify(app.redirectUri)},
    code_challenge_method="S256",
    token_endpoint_auth_method=${JSON.stringify(app.authMethod)},
)
code_verifier = generate_token(48)
url, state = session.create_authorization_url(issuer + "/oauth/authorize", code_verifier=code_verifier)
print("Open this, sign in and consent; then paste the address you land on:")
print(url, flush=True)
callback = input()
token = session.fetch_token(issuer + "/oauth/token", authorization_response=callback, code_verifier=code_verifier)
print(json.dumps({"access_token": token["access_token"], "refresh_token": token.get("refresh_token")}))
`;
  return { curl, node, nextjs, python };
}
