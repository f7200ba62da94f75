/**
 * Client grants: which apps may obtain client-credentials tokens for an API,
 * and with which of its scopes (Auth0's machine-to-machine authorization).
 * Nobody consents to a client-credentials token, so the API's side must: its
 * owner or an admin gives the grant, and for the portal's own API (its
 * management scopes above all) only an admin. A token is issued only while
 * the giver still holds that power: an admin demoted, disabled or deleted, or
 * an owner who no longer owns the API, stops what they gave.
 */
import { recordEvent } from "@/lib/events";
import type { User } from "@/lib/generated/prisma/client";
import type { ResourceApi } from "@/lib/oauth/apis";
import { allowsGrant } from "@/lib/oauth/clients";
import { formatScope, parseScope } from "@/lib/oauth/scopes";
import {
  deleteClientGrant,
  findClientGrant,
  listGrantsOfApi,
  listGrantsOfClient,
  saveClientGrant,
  type ClientGrantRow,
} from "@/lib/oauth/store/client-grants";
import { OAuthError } from "@/lib/oauth/errors";
import { findClient } from "@/lib/oauth/store/clients";

export { listGrantsOfClient, type ClientGrantRow };

/** A client grant the giver may not give, or the app may not hold. */
export class ClientGrantError extends OAuthError {
  override name = "ClientGrantError";
  constructor(description: string) {
    super("invalid_request", description);
  }
}

type Person = { id: string; isAdmin: boolean; disabled: boolean };

function personOf(user: User): Person {
  return { id: user.id, isAdmin: user.isAdmin, disabled: user.disabledAt !== null };
}

/** Whether this person may give apps grants on this API: an active admin, or (not for the portal's own API) its owner. */
export function mayGrantOn(api: Pick<ResourceApi, "isPortal" | "ownerId">, person: Person): boolean {
  if (person.disabled) return false;
  return person.isAdmin || (!api.isPortal && api.ownerId === person.id);
}

/** The API's scopes an app may get for itself: those that need no person. */
export function machineScopesOf(api: ResourceApi): string[] {
  return [...api.scopes].filter(([, info]) => info.tokenKind !== "user").map(([name]) => name);
}

function refusalFor(api: ResourceApi): string {
  return api.isPortal ? "Only admins can give apps the portal's own API." : "Only the API's owner or an admin can authorize apps for it.";
}

/** Gives the app (by client ID) a grant on the API with these scopes, replacing the one it had. */
export async function giveClientGrant(api: ResourceApi, clientId: string, scopes: string[], giver: User): Promise<void> {
  if (!mayGrantOn(api, personOf(giver))) throw new ClientGrantError(refusalFor(api));
  const client = await findClient(clientId.trim());
  if (!client) throw new ClientGrantError("No app has this client ID.");
  if (!client.isConfidential || !allowsGrant(client, "client_credentials")) {
    throw new ClientGrantError(`${client.name} does not use client credentials: its owner turns that grant on in its settings first.`);
  }
  const offered = new Set(machineScopesOf(api));
  const chosen = [...new Set(scopes)];
  const unknown = chosen.filter((scope) => !offered.has(scope));
  if (unknown.length > 0) throw new ClientGrantError(`${api.name} offers no scope ${unknown.join(", ")} for client credentials.`);
  await saveClientGrant({ apiId: api.id, clientId: client.id, scopes: formatScope(chosen), grantedById: giver.id });
  await recordEvent({
    type: "client_grant.given",
    clientId: client.id,
    userId: giver.id,
    scopes: chosen,
    details: { apiId: api.id, audience: api.identifier },
  });
}

/** Takes the app's grant on the API away. */
export async function removeClientGrant(api: ResourceApi, clientId: string, actor: User): Promise<void> {
  if (!mayGrantOn(api, personOf(actor))) throw new ClientGrantError(refusalFor(api));
  if (await deleteClientGrant(clientId, api.id)) {
    await recordEvent({ type: "client_grant.removed", clientId, userId: actor.id, details: { apiId: api.id, audience: api.identifier } });
  }
}

/** What an app may get for itself from an API now, or why nothing, in words for the app's owner. */
export type MachineAccess = { scopes: string[]; giverId: string } | { refused: string };

/** The token endpoint's check: the grant's scopes the API still offers, while its giver can still give them. */
export async function machineAccess(clientId: string, api: ResourceApi): Promise<MachineAccess> {
  const grant = await findClientGrant(clientId, api.id);
  const who = api.isPortal ? "an admin" : "the API's owner";
  if (!grant) return { refused: `no client grant: ${who} has not authorized this app for ${api.identifier}` };
  if (!grant.giver || !mayGrantOn(api, grant.giver))
    return {
      refused: `the client grant for ${api.identifier} was given by someone who can no longer give it; ${who} must authorize the app again`,
    };
  const offered = new Set(machineScopesOf(api));
  return { scopes: parseScope(grant.scopes).filter((scope) => offered.has(scope)), giverId: grant.giver.id };
}

/** An API's grants as its page lists them: the app, the scopes, who gave it and whether that still counts. */
export async function grantsOnApi(api: ResourceApi) {
  return (await listGrantsOfApi(api.id)).map((row) => ({
    clientId: row.clientId,
    appName: row.client.name,
    scopes: parseScope(row.scopes),
    grantedBy: row.grantedBy?.email ?? null,
    giverCanGive:
      row.grantedBy !== null &&
      mayGrantOn(api, { id: row.grantedBy.id, isAdmin: row.grantedBy.isAdmin, disabled: row.grantedBy.disabledAt !== null }),
  }));
}
