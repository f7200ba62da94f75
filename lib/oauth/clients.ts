/** Registering OAuth clients (apps); used by the CLI now and the dashboard later. */
import { z } from "zod";
import { hashSecret, randomHex } from "@/lib/crypto";
import type { Client } from "@/lib/generated/prisma/client";
import { EITHER_SECRET_METHOD, REGISTERED_AUTH_METHODS, type RegisteredAuthMethod } from "@/lib/oauth/client-auth";
import { hasPrivateParts, SIGNING_ALGS } from "@/lib/oauth/keys";
import { checkRedirectUri, isLoopbackRedirect, type ApplicationType } from "@/lib/oauth/redirect-uri";
import { getConfig } from "@/lib/config";
import { validated, ValidationError } from "@/lib/oauth/errors";
import { formatScope, isValidScopeToken, parseScope, scopeListProblem } from "@/lib/oauth/scopes";
import {
  addClientRedirectUri,
  changeClient,
  createClient,
  deleteClientRow,
  findClient,
  removeClientRedirectUri,
  type ClientWithRedirectUris,
} from "@/lib/oauth/store/clients";
import { deletePortalGrantsOf } from "@/lib/oauth/store/client-grants";
import { PORTAL_API_ID } from "@/lib/oauth/store/apis";

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
export const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials", DEVICE_CODE_GRANT] as const;
export const APPLICATION_TYPES = ["web", "native"] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

/** The grant types an app is registered for, as stored (space-separated). */
export function grantTypesOf(client: Pick<Client, "grantTypes">): GrantType[] {
  return parseScope(client.grantTypes) as GrantType[];
}

export function allowsGrant(client: Pick<Client, "grantTypes">, grantType: GrantType): boolean {
  return grantTypesOf(client).includes(grantType);
}

export const newClientSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "Enter a name")
      .max(100, "Name is too long")
      .regex(/^[^\u0000-\u001f\u007f]*$/, "The name cannot contain control characters"),
    logoUrl: z
      .url("Enter an https URL for the logo")
      .refine((url) => url.startsWith("https://"), "The logo must be served over https")
      .refine((url) => !/[\u0000-\u001f\u007f]/.test(url), "The logo URL cannot contain control characters")
      .optional(),
    ownerId: z.string().optional(),
    isConfidential: z.boolean().default(true),
    isFirstParty: z.boolean().default(false),
    allowPlainPkce: z.boolean().default(false),
    requirePkce: z.boolean().default(false),
    requireOfflineAccess: z.boolean().default(false),
    requirePushedRequests: z.boolean().default(false),
    requireDpop: z.boolean().default(false),
    /** Seconds during which a just-rotated refresh token presented again gets the same answer (a lost response). */
    refreshGraceSeconds: z.number().int().min(0, "0 to 120 seconds").max(120, "0 to 120 seconds").default(0),
    applicationType: z.enum(APPLICATION_TYPES).default("web"),
    /** Defaults to the secret either way (client_secret) for confidential apps, none for public ones. */
    tokenEndpointAuthMethod: z.enum(REGISTERED_AUTH_METHODS).optional(),
    jwks: z.string().trim().max(20_000, "The key set is too large").optional(),
    jwksUri: z
      .url("Enter the https URL of the app's JWK Set")
      .refine(isAllowedServerUri, "The JWK Set must be served over https (plain http only on a loopback address, and only in development)")
      .optional(),
    accessTokenTtl: z
      .number()
      .int()
      .min(60, "At least 60 seconds")
      .max(86_400, "At most 24 hours (86400 seconds)")
      .nullable()
      .default(null),
    refreshTokenTtl: z.number().int().min(300, "At least 300 seconds").max(31_536_000, "At most a year").nullable().default(null),
    idTokenSignedResponseAlg: z.enum(SIGNING_ALGS).nullable().default(null),
    /** Web origins whose pages may call the token, revocation and userinfo endpoints (CORS). */
    /** OpenID Connect RP-Initiated Logout: where the app may ask to be sent after sign-out (exact match). */
    postLogoutRedirectUris: z.array(z.string()).max(20, "At most 20 post-logout redirect URIs").default([]),
    /** OpenID Connect Back-Channel Logout: where the portal posts logout tokens. */
    backchannelLogoutUri: z
      .url("Enter the https URL that receives logout tokens")
      .refine((uri) => !uri.includes("#"), "The back-channel logout URI cannot contain a fragment")
      .refine(
        isAllowedServerUri,
        "The back-channel logout URI must be https (plain http only on a loopback address, and only in development)",
      )
      .optional(),
    allowedOrigins: z
      .array(
        z
          .string()
          .trim()
          .refine(
            isWebOrigin,
            "An origin is a scheme, host and port only, such as https://app.example.com (http only for loopback addresses)",
          ),
      )
      .max(20, "At most 20 origins")
      .default([]),
    redirectUris: z.array(z.string()).default([]),
    grantTypes: z.array(z.enum(GRANT_TYPES)).min(1, "Choose at least one grant type").default(["authorization_code", "refresh_token"]),
    scopes: z.array(z.string().refine(isValidScopeToken, "Invalid scope name")).default(["openid", "profile", "email"]),
    /** People may be asked for any scope an API offers them, not only `scopes`. Default: on when no scopes are named (and the app is not first-party). */
    anyUserScope: z.boolean().optional(),
  })
  .superRefine((client, ctx) => {
    if (client.grantTypes.includes("client_credentials") && !client.isConfidential) {
      ctx.addIssue({ code: "custom", path: ["grantTypes"], message: "Only confidential clients can use client credentials" });
    }
    if (client.grantTypes.includes("authorization_code") && client.redirectUris.length === 0) {
      ctx.addIssue({ code: "custom", path: ["redirectUris"], message: "The authorization code grant needs at least one redirect URI" });
    }
    client.redirectUris.forEach((uri, index) => {
      const check = checkRedirectUri(uri, client.applicationType);
      if (!check.ok) ctx.addIssue({ code: "custom", path: ["redirectUris", index], message: `${uri}: ${check.reason}` });
    });
    client.postLogoutRedirectUris.forEach((uri, index) => {
      const check = checkRedirectUri(uri, client.applicationType);
      if (!check.ok) ctx.addIssue({ code: "custom", path: ["postLogoutRedirectUris", index], message: `${uri}: ${check.reason}` });
    });
    const method = client.tokenEndpointAuthMethod;
    if (method !== undefined && (method === "none") === client.isConfidential) {
      ctx.addIssue({
        code: "custom",
        path: ["tokenEndpointAuthMethod"],
        message: client.isConfidential
          ? "A confidential app authenticates with a secret or a key"
          : "A public app has no credentials: its method is none",
      });
    }
    if (method === "private_key_jwt") {
      if (!client.jwks === !client.jwksUri)
        ctx.addIssue({
          code: "custom",
          path: ["jwks"],
          message: "private_key_jwt needs the app's public keys: a JWK Set or its https URL (one of them)",
        });
      const problem = client.jwks ? publicKeySetProblem(client.jwks) : null;
      if (problem) ctx.addIssue({ code: "custom", path: ["jwks"], message: problem });
    } else if (client.jwks || client.jwksUri) {
      ctx.addIssue({ code: "custom", path: ["jwks"], message: "Keys are only for private_key_jwt" });
    }
  });

/** An origin as browsers send it: https (or http on loopback), a host and maybe a port, nothing more. */
function isWebOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.origin === value && (url.protocol === "https:" || isLoopbackRedirect(url));
}

/** Where the portal itself calls an app: https, or (for apps developed against a development portal) http on a loopback address. */
function isAllowedServerUri(uri: string): boolean {
  const url = new URL(uri);
  if (url.protocol === "https:") return true;
  return !getConfig().production && isLoopbackRedirect(url);
}

/** Why a JWK Set is not a set of public signing keys an app may register, or null. */
function publicKeySetProblem(text: string): string | null {
  let set: unknown;
  try {
    set = JSON.parse(text);
  } catch {
    return "The JWK Set is not valid JSON";
  }
  const keys = (set as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) return 'A JWK Set is an object with a non-empty "keys" array';
  for (const key of keys as Record<string, unknown>[]) {
    if (typeof key !== "object" || key === null || !["RSA", "EC", "OKP"].includes(String(key.kty)))
      return "Each key must be an RSA, EC or OKP public key";
    // A private part ("d", and RSA's primes) must never be sent to the portal.
    if (hasPrivateParts(key)) return "The JWK Set holds a private key: register only the public keys";
  }
  return null;
}

export type NewClient = z.input<typeof newClientSchema>;

/** The list of scopes an app may ask people for: each one defined, and none added that only client credentials carry. */
async function checkScopes(scopes: string[], current: string[] = []) {
  const problem = await scopeListProblem(scopes, current);
  if (problem) throw ValidationError.of("scopes", problem);
}

export type RegisteredClient = { client: Client; redirectUris: string[]; clientSecret?: string };

/**
 * Creates a client with its redirect URIs in one transaction. A confidential
 * client gets a 256-bit secret, returned only here and stored as a keyed hash.
 */
/** Checks a new client against every registration rule without writing anything (ValidationError). */
export async function checkNewClient(input: NewClient): Promise<void> {
  await checkScopes(validated(newClientSchema, input).scopes);
}

export async function registerClient(
  input: NewClient,
  options: {
    clientId?: string /** Dynamic registration (RFC 7591): how, and the hash of the registration access token. */;
    dynamic?: { via: "token" | "open"; registrationTokenHash: string };
  } = {},
): Promise<RegisteredClient> {
  const client = validated(newClientSchema, input);
  await checkScopes(client.scopes);

  const id = options.clientId ?? randomHex(16);
  const tokenEndpointAuthMethod = authMethodFor(client.isConfidential, client.tokenEndpointAuthMethod);
  // An app that proves itself with a key has no secret.
  const clientSecret = client.isConfidential && tokenEndpointAuthMethod !== "private_key_jwt" ? randomHex(32) : undefined;
  const redirectUris = [...new Set(client.redirectUris.map((uri) => uri.trim()))];

  const created = await createClient(
    { type: "client.created", clientId: id, userId: client.ownerId, scopes: client.scopes },
    {
      id,
      ...settingsColumns(client),
      ownerId: client.ownerId,
      isConfidential: client.isConfidential,
      isFirstParty: client.isFirstParty,
      allowPlainPkce: client.allowPlainPkce,
      tokenEndpointAuthMethod,
      // First-party apps may skip consent (APIs that allow it): they ask only for the scopes named.
      anyUserScope: client.anyUserScope ?? (input.scopes === undefined && !client.isFirstParty),
      secretHash: clientSecret ? hashSecret(clientSecret) : null,
      registeredVia: options.dynamic?.via,
      registrationTokenHash: options.dynamic?.registrationTokenHash,
    },
    redirectUris,
  );
  return { client: created, redirectUris, clientSecret };
}

/** The columns an app's settings set, alike when it registers and when its owner edits it. */
function settingsColumns(client: z.output<typeof newClientSchema>) {
  return {
    name: client.name,
    logoUrl: client.logoUrl ?? null,
    requirePkce: client.requirePkce,
    requireOfflineAccess: client.requireOfflineAccess,
    requirePushedRequests: client.requirePushedRequests,
    requireDpop: client.requireDpop,
    refreshGraceSeconds: client.refreshGraceSeconds,
    applicationType: client.applicationType,
    jwks: client.jwks ?? null,
    jwksUri: client.jwksUri ?? null,
    accessTokenTtl: client.accessTokenTtl,
    refreshTokenTtl: client.refreshTokenTtl,
    idTokenSignedResponseAlg: client.idTokenSignedResponseAlg,
    allowedOrigins: [...new Set(client.allowedOrigins)].join(" "),
    postLogoutRedirectUris: [...new Set(client.postLogoutRedirectUris.map((uri) => uri.trim()))].join(" "),
    backchannelLogoutUri: client.backchannelLogoutUri ?? null,
    grantTypes: client.grantTypes.join(" "),
    scopes: formatScope(client.scopes),
  };
}

export type ClientChanges = Pick<
  NewClient,
  | "name"
  | "logoUrl"
  | "grantTypes"
  | "scopes"
  | "anyUserScope"
  | "isConfidential"
  | "requirePkce"
  | "requireOfflineAccess"
  | "requirePushedRequests"
  | "requireDpop"
  | "refreshGraceSeconds"
  | "applicationType"
  | "tokenEndpointAuthMethod"
  | "jwks"
  | "jwksUri"
  | "accessTokenTtl"
  | "refreshTokenTtl"
  | "idTokenSignedResponseAlg"
  | "allowedOrigins"
  | "postLogoutRedirectUris"
  | "backchannelLogoutUri"
> & {
  /** Replaces the redirect URIs (dynamic registration's update); the dashboard manages them one by one. */
  redirectUris?: string[];
};

/** The method asked for, or else the current one if it suits the app's type, or else the type's default. */
function authMethodFor(isConfidential: boolean, requested: RegisteredAuthMethod | undefined, current?: string): RegisteredAuthMethod {
  if (requested) return requested;
  if (current && (current === "none") !== isConfidential) return current as RegisteredAuthMethod;
  return isConfidential ? EITHER_SECRET_METHOD : "none";
}

/**
 * Edits an app's settings under the same rules as registration (redirect URIs
 * are managed one by one). An app that comes to need a secret (confidential,
 * authenticating with one) gets one, returned only here; an app that no longer
 * needs one loses it.
 */
export async function updateClient(
  client: ClientWithRedirectUris,
  changes: ClientChanges,
  actorId: string,
): Promise<{ clientSecret?: string }> {
  const isConfidential = changes.isConfidential ?? true;
  const tokenEndpointAuthMethod = authMethodFor(isConfidential, changes.tokenEndpointAuthMethod, client.tokenEndpointAuthMethod);
  const redirectUris = changes.redirectUris ?? client.redirectUris.map(({ uri }) => uri);
  const parsed = validated(newClientSchema, { ...changes, tokenEndpointAuthMethod, redirectUris });
  await checkScopes(parsed.scopes, parseScope(client.scopes));
  const needsSecret = isConfidential && tokenEndpointAuthMethod !== "private_key_jwt";
  const clientSecret = needsSecret && !client.secretHash ? randomHex(32) : undefined;
  const secretChange = clientSecret
    ? { secretHash: hashSecret(clientSecret) }
    : needsSecret
      ? {}
      : { secretHash: null, previousSecretHash: null, previousSecretExpiresAt: null };
  const newRedirectUris = changes.redirectUris ? [...new Set(parsed.redirectUris.map((uri) => uri.trim()))] : null;
  const event = {
    type: "client.updated",
    clientId: client.id,
    userId: actorId,
    details:
      isConfidential !== client.isConfidential || tokenEndpointAuthMethod !== client.tokenEndpointAuthMethod
        ? { isConfidential, tokenEndpointAuthMethod }
        : undefined,
  } as const;
  await changeClient(
    client.id,
    event,
    {
      ...settingsColumns(parsed),
      isConfidential,
      tokenEndpointAuthMethod,
      anyUserScope: parsed.anyUserScope ?? client.anyUserScope,
      ...secretChange,
    },
    newRedirectUris ?? undefined,
  );
  return { clientSecret };
}

/** Adds one redirect URI, under the registration rules. */
export async function addRedirectUri(client: ClientWithRedirectUris, uri: string, actorId: string): Promise<void> {
  const check = checkRedirectUri(uri, client.applicationType as ApplicationType);
  if (!check.ok) throw ValidationError.of("redirectUri", check.reason);
  if (client.redirectUris.some((existing) => existing.uri === check.uri)) {
    throw ValidationError.of("redirectUri", "This redirect URI is already registered.");
  }
  await addClientRedirectUri(client.id, check.uri, {
    type: "client.updated",
    clientId: client.id,
    userId: actorId,
    details: { redirectUriAdded: check.uri },
  });
}

/** Removes one redirect URI; an app with the authorization code grant keeps at least one. */
export async function removeRedirectUri(client: ClientWithRedirectUris, uri: string, actorId: string): Promise<void> {
  const remaining = client.redirectUris.filter((existing) => existing.uri !== uri);
  if (remaining.length === client.redirectUris.length) return;
  if (remaining.length === 0 && allowsGrant(client, "authorization_code")) {
    throw new ValidationError(["An app with the authorization code grant needs at least one redirect URI."], {
      redirectUri: "An app with the authorization code grant needs at least one redirect URI.",
    });
  }
  await removeClientRedirectUri(client.id, uri, {
    type: "client.updated",
    clientId: client.id,
    userId: actorId,
    details: { redirectUriRemoved: uri },
  });
}

/** Grace periods an owner can pick when rotating a secret, in seconds. */
export const SECRET_GRACE_PERIODS = [0, 3600, 86400, 7 * 86400] as const;

/**
 * Gives a confidential app a new secret, returned only here. The old one stops
 * working at once, or keeps working for the grace period the owner picked.
 */
export async function rotateClientSecret(client: Client, graceSeconds: number, actorId: string): Promise<string> {
  if (!client.isConfidential) throw ValidationError.of(null, "Public apps have no secret.");
  if (!(SECRET_GRACE_PERIODS as readonly number[]).includes(graceSeconds))
    throw ValidationError.of(null, "Choose one of the offered grace periods.");
  const secret = randomHex(32);
  const graceEnds = graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : null;
  await changeClient(
    client.id,
    { type: "client.secret_rotated", clientId: client.id, userId: actorId, details: { graceSeconds } },
    {
      secretHash: hashSecret(secret),
      previousSecretHash: graceEnds ? client.secretHash : null,
      previousSecretExpiresAt: graceEnds,
      secretRotatedAt: new Date(),
    },
  );
  return secret;
}

/** Disabling an app stops its sign-ins and token requests and ends its tokens (they are checked against the app). */
export async function setClientDisabled(client: Client, disabled: boolean, actorId: string): Promise<void> {
  await changeClient(
    client.id,
    { type: disabled ? "client.disabled" : "client.enabled", clientId: client.id, userId: actorId },
    { disabledAt: disabled ? new Date() : null },
  );
}

/** Deletes an app with its consents, codes and refresh tokens; its access tokens end with it. */
export async function deleteClient(client: Client, actorId: string): Promise<void> {
  await deleteClientRow(client.id, { type: "client.deleted", clientId: client.id, userId: actorId, details: { name: client.name } });
}

/**
 * After an account's apps went to an admin (the account deleted): whoever
 * owned them knew each confidential app's secret, so it is replaced by one
 * nobody knows (the new owner rotates it to get one, shown once), a
 * private_key_jwt app's keys go, and the grants on the portal's own API (the
 * management scopes) end, for an admin to give again if still wanted.
 * Rotation rather than disabling: people keep signing in to the app. A public
 * app has nothing secret to take back; its new owner reviews its redirect URIs.
 */
export async function secureHandedOverClients(clients: Client[], formerOwnerId: string, heirId: string): Promise<void> {
  const endedPortalGrants = new Set(
    await deletePortalGrantsOf(
      clients.map((client) => client.id),
      PORTAL_API_ID,
    ),
  );
  for (const client of clients) {
    const secretReplaced = client.secretHash !== null;
    // A private_key_jwt app's keys are the former owner's too: they go, and the new owner registers the app's keys again.
    const keysRemoved = client.jwks !== null || client.jwksUri !== null;
    const event = {
      type: "client.handed_over",
      clientId: client.id,
      userId: heirId,
      details: { from: formerOwnerId, secretReplaced, keysRemoved, portalGrantEnded: endedPortalGrants.has(client.id) },
    } as const;
    await changeClient(client.id, event, {
      ...(secretReplaced
        ? { secretHash: hashSecret(randomHex(32)), previousSecretHash: null, previousSecretExpiresAt: null, secretRotatedAt: new Date() }
        : {}),
      jwks: null,
      jwksUri: null,
      // RFC 7592's registration access token would let its holder rewrite the app.
      registrationTokenHash: null,
    });
  }
}

/** The app, when this person may manage it: its owner, or an admin for any. */
export async function findManagedClient(clientId: string, viewer: { id: string; isAdmin: boolean }) {
  const client = await findClient(clientId);
  return client && (viewer.isAdmin || client.ownerId === viewer.id) ? client : null;
}
