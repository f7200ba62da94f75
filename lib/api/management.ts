/**
 * The management API (/api/v1/admin/...): what an admin does in the admin
 * pages, for automation, called with client-credentials tokens that carry
 * the admin scopes (issued only through a client grant an admin gave the
 * app; that admin, while still an active admin, is the actor the audit log
 * names). Requests and answers are zod schemas, from
 * which the OpenAPI document (/api/v1/openapi.json) is made, so the two
 * cannot drift apart.
 */
import { z } from "zod";
import {
  ADMIN_PAGE_SIZE,
  deletePerson,
  invitePerson,
  type ListQuery,
  searchClients,
  searchUsers,
  setClientFirstParty,
  setUserAdmin,
  setUserDisabled,
} from "@/lib/admin";
import { findUserById } from "@/lib/accounts/users";
import { updateUser } from "@/lib/accounts/store/people";
import type { Principal } from "@/lib/api/with-api-auth";
import { listEvents } from "@/lib/events";
import type { Client, User } from "@/lib/generated/prisma/client";
import { registerClient, setClientDisabled, updateClient, grantTypesOf } from "@/lib/oauth/clients";
import { parseScope } from "@/lib/oauth/scopes";
import { appFormValuesOf, clientChangesOf } from "@/lib/oauth/client-form";
import { findManagedApi, findResourceApi, portalApiAudience } from "@/lib/oauth/apis";
import { giveClientGrant, listGrantsOfClient, machineAccess, removeClientGrant, type ClientGrantRow } from "@/lib/oauth/client-grants";
import { REGISTERED_AUTH_METHODS, type RegisteredAuthMethod } from "@/lib/oauth/client-auth";
import { OAuthError, validated } from "@/lib/oauth/errors";
import { findClient } from "@/lib/oauth/store/clients";

// Answers -------------------------------------------------------------------

export const appSchema = z.object({
  client_id: z.string(),
  name: z.string(),
  type: z.enum(["confidential", "public"]),
  owner_id: z.string().nullable(),
  grant_types: z.array(z.string()),
  scopes: z.array(z.string()),
  any_user_scope: z
    .boolean()
    .describe("The app may ask, for a person, any scope an API offers people (each person consents), not only `scopes`"),
  token_endpoint_auth_method: z
    .enum(REGISTERED_AUTH_METHODS)
    .describe(
      "client_secret: the secret by HTTP Basic or in the body (the default); client_secret_basic or client_secret_post: that one only",
    ),
  redirect_uris: z.array(z.string()),
  first_party: z.boolean(),
  disabled: z.boolean(),
  created_at: z.iso.datetime(),
});

export const userSchema = z.object({
  id: z.string(),
  email: z.email(),
  name: z.string().nullable(),
  admin: z.boolean(),
  email_verified: z.boolean(),
  disabled: z.boolean(),
  created_at: z.iso.datetime(),
});

export const eventSchema = z.object({
  id: z.string(),
  type: z.string(),
  label: z.string(),
  failure: z.boolean(),
  time: z.iso.datetime(),
  client_id: z.string().nullable(),
  user_id: z.string().nullable(),
  user_email: z.string().nullable(),
  scopes: z.array(z.string()),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export const clientGrantSchema = z.object({
  client_id: z.string(),
  api_id: z.string(),
  audience: z.string(),
  scopes: z.array(z.string()),
  granted_by: z.string().nullable().describe("The id of the person who gave it; the grant works only while they may still give it"),
  updated_at: z.iso.datetime(),
});
export const clientGrantListSchema = z.object({ grants: z.array(clientGrantSchema) });

/** RFC 9457 problem details; `error` and `error_description` are the OAuth code and text (RFC 6749 §5.2). */
export const errorSchema = z.object({
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  error: z.string(),
  error_description: z.string(),
});

export const appListSchema = z.object({ apps: z.array(appSchema), next_before: z.string().nullable() });
export const createdAppSchema = z.object({ app: appSchema, client_secret: z.string().optional() });
export const userListSchema = z.object({ users: z.array(userSchema), next_before: z.string().nullable() });
export const eventPageSchema = z.object({ events: z.array(eventSchema), next_before: z.string().nullable() });

// Requests ------------------------------------------------------------------

export const createAppRequest = z.object({
  name: z.string(),
  type: z.enum(["confidential", "public"]).default("confidential"),
  redirect_uris: z.array(z.string()).default([]),
  grant_types: z.array(z.string()).optional(),
  /** Omitted: the app may ask, for a person, any scope an API offers people. */
  scopes: z.array(z.string()).optional(),
  token_endpoint_auth_method: z.enum(REGISTERED_AUTH_METHODS).optional(),
  owner_id: z.string().optional(),
  first_party: z.boolean().default(false),
});

export const updateAppRequest = z.object({
  name: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  any_user_scope: z.boolean().optional(),
  first_party: z.boolean().optional(),
  disabled: z.boolean().optional(),
});

export const clientGrantRequest = z.object({
  scopes: z.array(z.string()).describe("The API's scopes the app may get with client credentials; [] for tokens with none"),
});

export const inviteUserRequest = z.object({ email: z.string(), name: z.string().optional(), admin: z.boolean().default(false) });

export const updateUserRequest = z.object({
  name: z.string().nullable().optional(),
  admin: z.boolean().optional(),
  disabled: z.boolean().optional(),
});

// Mapping -------------------------------------------------------------------

export function appOut(client: Client & { redirectUris: { uri: string }[] }): z.infer<typeof appSchema> {
  return {
    client_id: client.id,
    name: client.name,
    type: client.isConfidential ? "confidential" : "public",
    owner_id: client.ownerId,
    grant_types: grantTypesOf(client),
    scopes: parseScope(client.scopes),
    any_user_scope: client.anyUserScope,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod as RegisteredAuthMethod,
    redirect_uris: client.redirectUris.map((redirect) => redirect.uri),
    first_party: client.isFirstParty,
    disabled: client.disabledAt !== null,
    created_at: client.createdAt.toISOString(),
  };
}

export function userOut(user: User): z.infer<typeof userSchema> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    admin: user.isAdmin,
    email_verified: user.emailVerifiedAt !== null,
    disabled: user.disabledAt !== null,
    created_at: user.createdAt.toISOString(),
  };
}

// Actions -------------------------------------------------------------------

/**
 * The admin who gave the calling app its management scopes: the actor of every
 * change it makes, only while still an active admin and while the app's grant
 * still holds the route's scope (a token outlives a grant narrowed since). A
 * token acting for a person never manages the portal.
 */
export async function actorOf(principal: Principal, scope: string): Promise<User> {
  if (principal.userId !== null) throw new OAuthError("insufficient_scope", "The management API takes client-credentials tokens only");
  const portal = (await findResourceApi(portalApiAudience()))!;
  const access = await machineAccess(principal.clientId, portal);
  const giver = "giverId" in access && access.scopes.includes(scope) ? await findUserById(access.giverId) : null;
  if (!giver?.isAdmin || giver.disabledAt)
    throw new OAuthError(
      "insufficient_scope",
      `The app calling the management API must hold a client grant for ${scope} from an active admin`,
    );
  return giver;
}

/** The query of a list of apps or people: a search, the page cursor and the page size. */
const listQuerySchema = z.object({
  q: z.string().max(200).default(""),
  before: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(ADMIN_PAGE_SIZE),
});

function apiListQuery(params: URLSearchParams): ListQuery {
  const { q, before, limit } = validated(listQuerySchema, Object.fromEntries(params), { namePaths: true });
  return { search: q, before, limit };
}

export async function listApps(params: URLSearchParams): Promise<z.infer<typeof appListSchema>> {
  const page = await searchClients(apiListQuery(params));
  return { apps: page.rows.map(appOut), next_before: page.nextBefore };
}

export async function createApp(body: unknown): Promise<z.infer<typeof createdAppSchema>> {
  const input = validated(createAppRequest, body, { namePaths: true });
  const registered = await registerClient({
    name: input.name,
    isConfidential: input.type === "confidential",
    redirectUris: input.redirect_uris,
    ...(input.grant_types ? { grantTypes: input.grant_types as never } : {}),
    scopes: input.scopes,
    tokenEndpointAuthMethod: input.token_endpoint_auth_method,
    ownerId: input.owner_id,
    isFirstParty: input.first_party,
  });
  return {
    app: appOut((await findClient(registered.client.id))!),
    ...(registered.clientSecret ? { client_secret: registered.clientSecret } : {}),
  };
}

async function existingApp(clientId: string) {
  const client = await findClient(clientId);
  if (!client) throw new OAuthError("not_found", "No app has this client_id");
  return client;
}

export async function getApp(clientId: string) {
  return appOut(await existingApp(clientId));
}

export async function updateApp(clientId: string, body: unknown, actor: User) {
  const input = validated(updateAppRequest, body, { namePaths: true });
  let client = await existingApp(clientId);
  if (input.name !== undefined || input.scopes !== undefined || input.any_user_scope !== undefined) {
    // The app's settings as they are, with only what the request names changed.
    const current = clientChangesOf(appFormValuesOf(client));
    const named = { name: input.name, scopes: input.scopes, anyUserScope: input.any_user_scope };
    await updateClient(
      client,
      { ...current, ...Object.fromEntries(Object.entries(named).filter(([, value]) => value !== undefined)) },
      actor.id,
    );
  }
  if (input.first_party !== undefined) await setClientFirstParty(client, input.first_party, actor);
  if (input.disabled !== undefined) await setClientDisabled(client, input.disabled, actor.id);
  client = await existingApp(clientId);
  return appOut(client);
}

export async function listUsers(params: URLSearchParams): Promise<z.infer<typeof userListSchema>> {
  const page = await searchUsers(apiListQuery(params));
  return { users: page.rows.map(userOut), next_before: page.nextBefore };
}

export async function inviteUser(body: unknown, actor: User) {
  const input = validated(inviteUserRequest, body, { namePaths: true });
  return userOut(await invitePerson({ email: input.email, name: input.name, isAdmin: input.admin }, actor));
}

async function existingUser(id: string) {
  const user = await findUserById(id);
  if (!user) throw new OAuthError("not_found", "No person has this id");
  return user;
}

export async function getUser(id: string) {
  return userOut(await existingUser(id));
}

export async function updatePerson(id: string, body: unknown, actor: User) {
  const input = validated(updateUserRequest, body, { namePaths: true });
  const user = await existingUser(id);
  if (input.name !== undefined) await updateUser(user.id, { name: input.name });
  if (input.admin !== undefined && input.admin !== user.isAdmin) await setUserAdmin(user, input.admin, actor);
  if (input.disabled !== undefined && input.disabled !== (user.disabledAt !== null)) await setUserDisabled(user, input.disabled, actor);
  return userOut(await existingUser(id));
}

export async function removePerson(id: string, actor: User): Promise<void> {
  await deletePerson(await existingUser(id), actor);
}

export async function auditPage(params: URLSearchParams): Promise<z.infer<typeof eventPageSchema>> {
  const limit = Math.min(Math.max(Number(params.get("limit")) || 100, 1), 500);
  const page = await listEvents({
    type: params.get("type") ?? undefined,
    failuresOnly: params.get("failures") === "true",
    search: params.get("q") ?? undefined,
    before: params.get("before") ?? undefined,
    limit,
  });
  return {
    events: page.events.map((event) => ({
      id: event.id,
      type: event.type,
      label: event.label,
      failure: event.failure,
      time: event.createdAt.toISOString(),
      client_id: event.clientId,
      user_id: event.userId,
      user_email: event.userEmail,
      scopes: parseScope(event.scopes),
      ip: event.ip,
      details: event.details ? (JSON.parse(event.details) as Record<string, unknown>) : {},
    })),
    next_before: page.nextBefore,
  };
}

function grantOut(row: ClientGrantRow): z.infer<typeof clientGrantSchema> {
  return {
    client_id: row.clientId,
    api_id: row.apiId,
    audience: row.api.identifier ?? portalApiAudience(),
    scopes: parseScope(row.scopes),
    granted_by: row.grantedBy?.id ?? null,
    updated_at: row.updatedAt.toISOString(),
  };
}

async function existingApi(apiId: string, actor: User) {
  const api = await findManagedApi(apiId, actor);
  if (!api) throw new OAuthError("not_found", "No API has this id");
  return api;
}

export async function listAppGrants(clientId: string): Promise<z.infer<typeof clientGrantListSchema>> {
  await existingApp(clientId);
  return { grants: (await listGrantsOfClient(clientId)).map(grantOut) };
}

/** Gives an app a grant; on the portal's own API, only scopes the calling token holds itself (admin.apps alone does not make admin.users). */
export async function putAppGrant(
  clientId: string,
  apiId: string,
  body: unknown,
  actor: User,
  caller: Principal,
): Promise<z.infer<typeof clientGrantSchema>> {
  const input = validated(clientGrantRequest, body, { namePaths: true });
  const [client, api] = await Promise.all([existingApp(clientId), existingApi(apiId, actor)]);
  const beyond = api.isPortal ? input.scopes.filter((scope) => !caller.can(scope)) : [];
  if (beyond.length > 0) throw new OAuthError("insufficient_scope", `A token without ${beyond.join(", ")} cannot give it`);
  await giveClientGrant(api, client.id, input.scopes, actor);
  const row = (await listGrantsOfClient(client.id)).find((grant) => grant.apiId === api.id);
  if (!row) throw new OAuthError("refused", "The grant was removed meanwhile");
  return grantOut(row);
}

export async function deleteAppGrant(clientId: string, apiId: string, actor: User): Promise<void> {
  const [client, api] = await Promise.all([existingApp(clientId), existingApi(apiId, actor)]);
  await removeClientGrant(api, client.id, actor);
}
