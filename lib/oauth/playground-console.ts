/**
 * The playground's calls, made by the portal to its own endpoints in
 * process (the same handlers an app's HTTP request reaches, with the app's
 * credentials as the owner pasted them: used for that one call, never
 * stored), and the tokens they return decoded and checked against the JWKS.
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { cookies } from "next/headers";
import { getConfig } from "@/lib/config";
import { randomToken, seal, unseal } from "@/lib/crypto";
import type { Client } from "@/lib/generated/prisma/client";
import { introspectEndpoint } from "@/lib/oauth/endpoints/introspect";
import { revokeEndpoint } from "@/lib/oauth/endpoints/revoke";
import { tokenEndpoint } from "@/lib/oauth/endpoints/token";
import { userinfoEndpoint } from "@/lib/oauth/endpoints/userinfo";
import { publicJwks } from "@/lib/oauth/keys";
import { s256Challenge } from "@/lib/oauth/pkce";
import { playgroundRedirectUri } from "@/lib/oauth/playground";
import type { ProtocolRequest, RouteHandler } from "@/lib/protocol-http";
import { endpointUrl, type EndpointName } from "@/lib/oauth/endpoint-paths";

const SEAL_PURPOSE = "playground-run";
const RUN_SECONDS = 600;

function cookieName(clientId: string) {
  return `portal_playground_${clientId.replace(/[^A-Za-z0-9_-]/g, "")}`;
}

/** Starts a run: state, PKCE verifier and nonce kept sealed in a cookie for this app's playground; returns the authorization URL. */
export async function startPlaygroundRun(
  client: Pick<Client, "id">,
  choices: { scope: string; audience?: string; prompt?: string },
): Promise<string> {
  const run = { state: randomToken(16), verifier: randomToken(32), nonce: randomToken(16) };
  (await cookies()).set(cookieName(client.id), seal(JSON.stringify({ ...run, at: Date.now() }), SEAL_PURPOSE), {
    httpOnly: true,
    sameSite: "lax",
    secure: getConfig().secureCookies,
    path: `/dashboard/apps/${client.id}/playground`,
    maxAge: RUN_SECONDS,
  });
  const url = new URL(endpointUrl("authorization"));
  const params: Record<string, string> = {
    response_type: "code",
    client_id: client.id,
    redirect_uri: playgroundRedirectUri(client.id),
    scope: choices.scope,
    state: run.state,
    nonce: run.nonce,
    code_challenge: s256Challenge(run.verifier),
    code_challenge_method: "S256",
    ...(choices.audience ? { audience: choices.audience } : {}),
    ...(choices.prompt ? { prompt: choices.prompt } : {}),
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

/** The run this browser started, when the state it came back with is its own. */
async function currentRun(clientId: string, state: string): Promise<{ verifier: string; nonce: string } | null> {
  const sealed = (await cookies()).get(cookieName(clientId))?.value;
  if (!sealed) return null;
  try {
    const run = JSON.parse(unseal(sealed, SEAL_PURPOSE)) as { state: string; verifier: string; nonce: string; at: number };
    return run.state === state && Date.now() - run.at < RUN_SECONDS * 1000 ? run : null;
  } catch {
    return null;
  }
}

export type DecodedToken = {
  name: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  verified: boolean;
  problem?: string;
  expiresAt?: number;
};
export type ConsoleAnswer = { endpoint: string; status: number; body: unknown; tokens: DecodedToken[] };

/** One call to an endpoint handler, as an app would make it over HTTP. */
async function call(
  handler: RouteHandler<unknown>,
  endpoint: EndpointName,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const request: ProtocolRequest = {
    method: "POST",
    url: endpointUrl(endpoint),
    headers: new Headers({ "content-type": "application/x-www-form-urlencoded", ...headers }),
    text: async () => new URLSearchParams(form).toString(),
  };
  const answer = await handler.protocol(request, undefined);
  let body: unknown = answer.body;
  try {
    body = answer.body ? JSON.parse(answer.body) : null;
  } catch {
    // not JSON: shown as text
  }
  return { status: answer.status, body };
}

/** The app's credentials as the owner gave them: Basic for a secret, the client_id alone for a public app. */
function credentials(
  client: Pick<Client, "id" | "isConfidential">,
  secret: string,
): { form: Record<string, string>; headers: Record<string, string> } {
  if (!client.isConfidential) return { form: { client_id: client.id }, headers: {} };
  return {
    form: {},
    headers: { authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(secret)}`).toString("base64")}` },
  };
}

async function decoded(body: unknown): Promise<DecodedToken[]> {
  if (typeof body !== "object" || body === null) return [];
  const keys = createLocalJWKSet(await publicJwks());
  const tokens: DecodedToken[] = [];
  for (const name of ["access_token", "id_token"] as const) {
    const token = (body as Record<string, unknown>)[name];
    if (typeof token !== "string" || token.split(".").length !== 3) continue;
    const claims = decodeJwt(token) as Record<string, unknown>;
    let verified = false;
    let problem: string | undefined;
    try {
      await jwtVerify(token, keys, { issuer: getConfig().issuer });
      verified = true;
    } catch (error) {
      problem = (error as Error).message;
    }
    tokens.push({
      name,
      header: decodeProtectedHeader(token) as Record<string, unknown>,
      claims,
      verified,
      problem,
      expiresAt: typeof claims.exp === "number" ? claims.exp : undefined,
    });
  }
  return tokens;
}

async function answer(endpoint: string, result: { status: number; body: unknown }): Promise<ConsoleAnswer> {
  return { endpoint, ...result, tokens: await decoded(result.body) };
}

export class PlaygroundError extends Error {
  override name = "PlaygroundError";
}

export async function exchangeCode(client: Client, input: { code: string; state: string; secret: string }): Promise<ConsoleAnswer> {
  const run = await currentRun(client.id, input.state);
  if (!run) throw new PlaygroundError("This run is not this browser's, or it is older than 10 minutes: press Run again.");
  const auth = credentials(client, input.secret);
  return answer(
    "POST /oauth/token (authorization_code)",
    await call(
      tokenEndpoint,
      "token",
      {
        grant_type: "authorization_code",
        code: input.code,
        redirect_uri: playgroundRedirectUri(client.id),
        code_verifier: run.verifier,
        ...auth.form,
      },
      auth.headers,
    ),
  );
}

export async function refresh(client: Client, input: { refreshToken: string; secret: string }): Promise<ConsoleAnswer> {
  const auth = credentials(client, input.secret);
  return answer(
    "POST /oauth/token (refresh_token)",
    await call(tokenEndpoint, "token", { grant_type: "refresh_token", refresh_token: input.refreshToken, ...auth.form }, auth.headers),
  );
}

export async function introspect(client: Client, input: { token: string; secret: string }): Promise<ConsoleAnswer> {
  if (!client.isConfidential)
    throw new PlaygroundError(
      "Introspection is for confidential apps (and resource servers): a public app has no credentials to call it with.",
    );
  const auth = credentials(client, input.secret);
  return answer(
    "POST /oauth/introspect",
    await call(introspectEndpoint, "introspection", { token: input.token, ...auth.form }, auth.headers),
  );
}

export async function revoke(client: Client, input: { token: string; secret: string }): Promise<ConsoleAnswer> {
  const auth = credentials(client, input.secret);
  return answer("POST /oauth/revoke", await call(revokeEndpoint, "revocation", { token: input.token, ...auth.form }, auth.headers));
}

export async function userinfo(input: { accessToken: string }): Promise<ConsoleAnswer> {
  return answer("POST /oauth/userinfo", await call(userinfoEndpoint, "userinfo", {}, { authorization: `Bearer ${input.accessToken}` }));
}
