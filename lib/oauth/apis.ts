/**
 * APIs (resource servers) tokens are issued for, as Auth0 and RFC 8707 name
 * them: an app asks for one with `audience` or `resource`, the access token's
 * `aud` is its identifier and its `scope` holds only that API's scopes (plus
 * the identity scopes, which the portal itself serves). The portal's own
 * /api/v1 is one such API and the default when a request names none.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { validated, ValidationError } from "@/lib/oauth/errors";
import { getConfig } from "@/lib/config";
import { OAuthError } from "@/lib/oauth/errors";
import { isValidScopeToken, parseScope } from "@/lib/oauth/scopes";
import {
  createApi,
  deleteApi as deleteStoredApi,
  findApiById,
  findApiByIdentifier,
  apiIdsDefiningAll,
  IdentifierTakenError,
  listApis,
  PORTAL_API_ID,
  updateApi as updateStoredApi,
  type StoredApi,
} from "@/lib/oauth/store/apis";
import { allowsGrant } from "@/lib/oauth/clients";
import { endpointUrl } from "@/lib/oauth/endpoint-paths";
import { requestedApiIdentifier } from "@/lib/oauth/resource";

export { PORTAL_API_ID };

/** OpenID Connect's scopes: defined by the portal's API, and usable together with any API. */
export const IDENTITY_SCOPES: ReadonlySet<string> = new Set(["openid", "profile", "email", "offline_access"]);

export type ApiScopeInfo = { description: string; tokenKind: string };

/** An API as the protocol sees it. */
export type ResourceApi = {
  id: string;
  name: string;
  /** The token's `aud`. */
  identifier: string;
  isPortal: boolean;
  ownerId: string | null;
  accessTokenTtl: number;
  allowSkipConsent: boolean;
  allowOfflineAccess: boolean;
  offlineAccessScopeRequired: boolean;
  /** The scopes a request for this API may carry: its own, and the identity scopes. */
  scopes: ReadonlyMap<string, ApiScopeInfo>;
};

export function portalApiAudience(): string {
  return `${getConfig().issuer}/api/v1`;
}

/** The audience OpenID Connect's userinfo endpoint accepts, added to tokens that carry `openid`. */
export function userinfoAudience(): string {
  return endpointUrl("userinfo");
}

function scopeMap(api: StoredApi): Map<string, ApiScopeInfo> {
  return new Map(api.scopes.map((scope) => [scope.name, { description: scope.description, tokenKind: scope.tokenKind }]));
}

// Rows from the cache are the same objects until reloaded, so each is converted once.
const converted = new WeakMap<StoredApi, { portal: StoredApi; api: ResourceApi }>();

function toResourceApi(api: StoredApi, portal: StoredApi): ResourceApi {
  const known = converted.get(api);
  if (known?.portal === portal) return known.api;
  const resource = convert(api, portal);
  converted.set(api, { portal, api: resource });
  return resource;
}

function convert(api: StoredApi, portal: StoredApi): ResourceApi {
  const isPortal = api.id === PORTAL_API_ID;
  const identity = [...scopeMap(portal)].filter(([name]) => IDENTITY_SCOPES.has(name));
  return {
    id: api.id,
    name: api.name,
    identifier: api.identifier ?? portalApiAudience(),
    isPortal,
    ownerId: api.ownerId,
    accessTokenTtl: api.accessTokenTtl ?? getConfig().ttl.accessToken,
    allowSkipConsent: api.allowSkipConsent,
    allowOfflineAccess: api.allowOfflineAccess,
    offlineAccessScopeRequired: api.offlineAccessScopeRequired,
    scopes: isPortal ? scopeMap(api) : new Map([...identity, ...scopeMap(api)]),
  };
}

async function portalApi(): Promise<StoredApi> {
  const portal = await findApiByIdentifier(null);
  if (!portal) throw new Error("The portal's own API is missing: run the migrations");
  return portal;
}

/** The API with this identifier (the portal's own included), or null. */
export async function findResourceApi(identifier: string): Promise<ResourceApi | null> {
  const portal = await portalApi();
  if (identifier === portalApiAudience()) return toResourceApi(portal, portal);
  const api = await findApiByIdentifier(identifier);
  return api ? toResourceApi(api, portal) : null;
}

/** The API a stored code or refresh token was issued for (null: the portal's, from before APIs had rows). */
export async function apiOfIssued(audience: string | null): Promise<ResourceApi | null> {
  return findResourceApi(audience || portalApiAudience());
}

/**
 * The API named by RFC 8707 `resource` or Auth0's `audience` (they must agree
 * when both are sent); when neither is, the one a person's `scope` points to
 * (defaultApiFor) or else the portal's own; invalid_target when it is not registered.
 */
export async function resolveRequestedApi(requested: { resource?: string; audience?: string; scope?: string }): Promise<ResourceApi> {
  const named = requestedApiIdentifier(requested.resource, requested.audience);
  if (named === undefined && requested.scope !== undefined) {
    const inferred = await defaultApiFor(requested.scope);
    if (inferred instanceof OAuthError) throw inferred;
    return inferred;
  }
  const api = await findResourceApi(named ?? portalApiAudience());
  if (!api) throw new OAuthError("invalid_target", "The requested resource is not a registered API");
  return api;
}

/** Past this many scopes the portal's API does not define, a request is not looked up further: it fails as asking for unknown scopes. */
const MAX_INFERRED_SCOPES = 20;

/**
 * The API a person's request that names none is for: the portal's own, unless
 * the scopes it asks are all another API's, the only one that defines them
 * (scopes as global names, as in Keycloak and Hydra; seed 001 asks for
 * `invoices.read` with no audience). Several such APIs: invalid_target,
 * returned for the caller to answer where errors go. None: the portal's, whose
 * checks then say which scope is unknown.
 */
export async function defaultApiFor(scope: string | undefined): Promise<ResourceApi | OAuthError> {
  const portal = (await findResourceApi(portalApiAudience()))!;
  const foreign = parseScope(scope).filter((name) => !portal.scopes.has(name));
  if (foreign.length === 0 || foreign.length > MAX_INFERRED_SCOPES || !foreign.every(isValidScopeToken)) return portal;
  const owners = (await apiIdsDefiningAll(foreign)).filter((id) => id !== PORTAL_API_ID);
  const apis = (await Promise.all(owners.map((id) => findApiById(id)))).filter((api) => api?.identifier);
  if (apis.length > 1) {
    return new OAuthError(
      "invalid_target",
      `Several APIs define ${foreign.join(" ")} (${apis.map((api) => api!.identifier).join(", ")}): name one with audience or resource`,
    );
  }
  return (apis[0] && (await findResourceApi(apis[0].identifier!))) || portal;
}

/** The access token's `aud`: the API, and userinfo when the token carries `openid`. */
export function accessTokenAudience(api: ResourceApi, scopes: readonly string[]): string | string[] {
  return scopes.includes("openid") ? [api.identifier, userinfoAudience()] : api.identifier;
}

/**
 * Whether a person's token request gets a refresh token (OpenID Connect Core
 * §11, and Auth0's rule in seed 003): the app has the refresh token grant,
 * the API allows offline access, and offline_access was granted when the API
 * or the app requires it.
 */
export function issuesRefreshToken(
  client: { grantTypes: string; requireOfflineAccess: boolean },
  api: Pick<ResourceApi, "allowOfflineAccess" | "offlineAccessScopeRequired">,
  scopes: readonly string[],
): boolean {
  if (!allowsGrant(client, "refresh_token") || !api.allowOfflineAccess) return false;
  return scopes.includes("offline_access") || !(api.offlineAccessScopeRequired || client.requireOfflineAccess);
}

// ---- Registration (dashboard and CLI) ----

const noControl = /^[^\u0000-\u001f\u007f]*$/;

const scopeLineSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(100, "A scope name is too long")
    .refine(isValidScopeToken, "Scope names use letters, digits and punctuation, without spaces, quotes or backslashes")
    .refine((name) => !IDENTITY_SCOPES.has(name), "openid, profile, email and offline_access are the portal's own scopes"),
  description: z
    .string()
    .trim()
    .min(1, "Give each scope the sentence people read on the consent screen")
    .max(200, "Keep each description under 200 characters")
    .regex(noControl),
  tokenKind: z.enum(["user", "client", "any"]).default("any"),
});

const apiSettingsSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter a name")
    .max(100, "Name is too long")
    .regex(noControl, "The name cannot contain control characters"),
  accessTokenTtl: z.number().int().min(60, "At least 60 seconds").max(86_400, "At most 24 hours (86400 seconds)").nullable().default(null),
  allowSkipConsent: z.boolean().default(false),
  allowOfflineAccess: z.boolean().default(false),
  offlineAccessScopeRequired: z.boolean().default(true),
  scopes: z
    .array(scopeLineSchema)
    .max(100, "At most 100 scopes")
    .default([])
    .refine((scopes) => new Set(scopes.map((scope) => scope.name)).size === scopes.length, "Each scope is listed once"),
});

const identifierSchema = z
  .string()
  .trim()
  .min(1, "Enter the identifier apps send as audience")
  .max(200, "The identifier is too long")
  .refine(isValidScopeToken, "Use letters, digits and punctuation, without spaces, quotes or backslashes")
  .refine(
    (identifier) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(identifier) || URL.canParse(identifier),
    "A URI identifier must be an absolute URI",
  );

export const newApiSchema = apiSettingsSchema.extend({ identifier: identifierSchema });

export type NewApi = z.input<typeof newApiSchema>;
export type ApiChanges = z.input<typeof apiSettingsSchema>;

/** Everything under the issuer is the portal's: an API there could collect tokens meant for the portal. */
function isReservedIdentifier(identifier: string): boolean {
  const issuer = getConfig().issuer;
  return (
    identifier === issuer ||
    identifier.startsWith(`${issuer}/`) ||
    identifier.startsWith(`${issuer}?`) ||
    identifier.startsWith(`${issuer}#`)
  );
}

/** Registers an API; its identifier is the audience apps ask for and cannot change later. */
export async function registerApi(input: NewApi, ownerId: string | null): Promise<ResourceApi> {
  const { scopes, identifier, ...settings } = validated(newApiSchema, input);
  if (isReservedIdentifier(identifier)) {
    throw ValidationError.of("identifier", "Identifiers under the portal's own address are reserved");
  }
  try {
    const created = await createApi(randomUUID(), { ...settings, identifier }, scopes, ownerId);
    return toResourceApi(created, await portalApi());
  } catch (error) {
    if (!(error instanceof IdentifierTakenError)) throw error;
    throw ValidationError.of("identifier", "Another API already has this identifier");
  }
}

export async function updateApi(api: ResourceApi, changes: ApiChanges, actorId: string): Promise<void> {
  const { scopes, ...settings } = validated(apiSettingsSchema, changes);
  // The identity scopes stay: their sentences are edited on the admin's scopes page.
  await updateStoredApi(api.id, settings, scopes, actorId, api.isPortal ? [...IDENTITY_SCOPES] : []);
}

export async function deleteApi(api: ResourceApi, actorId: string): Promise<void> {
  if (api.isPortal) throw ValidationError.of(null, "The portal's own API cannot be deleted");
  await deleteStoredApi(api.id, actorId);
}

/** The API, when this person may manage it: its owner, or an admin for any (the portal's own included). */
export async function findManagedApi(id: string, viewer: { id: string; isAdmin: boolean }): Promise<ResourceApi | null> {
  const api = await findApiById(id);
  if (!api || !(viewer.isAdmin || api.ownerId === viewer.id)) return null;
  return toResourceApi(api, await portalApi());
}

export async function listManagedApis(viewer: { id: string; isAdmin: boolean }): Promise<ResourceApi[]> {
  const [apis, portal] = await Promise.all([listApis(viewer.isAdmin ? {} : { ownerId: viewer.id }), portalApi()]);
  return apis.map((api) => toResourceApi(api, portal));
}

/** The scopes an API defines itself (the identity scopes are the portal's). */
export function ownScopes(api: ResourceApi): [string, ApiScopeInfo][] {
  return [...api.scopes].filter(([name]) => api.isPortal || !IDENTITY_SCOPES.has(name));
}
