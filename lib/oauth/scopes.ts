/** Scope strings (RFC 6749 §3.3), and the scopes the registered APIs define. */
import { listAllApiScopes, scopeDefinitions } from "@/lib/oauth/store/apis";

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export function isValidScopeToken(token: string): boolean {
  return SCOPE_TOKEN.test(token);
}

/** Splits a space-separated scope string into unique tokens; order does not matter. */
export function parseScope(value: string | null | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(" ").filter((token) => token !== ""))];
}

export function formatScope(scopes: Iterable<string>): string {
  return [...scopes].join(" ");
}

/** A scope as an app's settings offer it: its name, and the APIs that define it. */
export type ScopeChoice = { name: string; description: string; apis: string[] };

/** Every scope some API offers people, for choosing an app's scopes (client credentials get theirs from client grants). */
export async function scopeChoices(): Promise<ScopeChoice[]> {
  const byName = new Map<string, ScopeChoice>();
  for (const scope of await listAllApiScopes()) {
    if (scope.tokenKind === "client") continue;
    const choice = byName.get(scope.name) ?? { name: scope.name, description: scope.description, apis: [] };
    choice.apis.push(scope.api.name);
    byName.set(scope.name, choice);
  }
  return [...byName.values()];
}

/** The scopes an app may ask a person for: its list, or (anyUserScope) every scope an API offers people. */
export async function userScopesOf(client: { scopes: string; anyUserScope: boolean }): Promise<string[]> {
  if (!client.anyUserScope) return parseScope(client.scopes);
  const offered = (await listAllApiScopes()).filter((scope) => scope.tokenKind !== "client").map((scope) => scope.name);
  return [...new Set(offered)];
}

/**
 * Why an app's list of scopes (what it may ask people for) cannot hold these,
 * or null: a name no API defines, or one added now that only client
 * credentials can carry (those come from client grants, lib/oauth/client-grants.ts).
 */
export async function scopeListProblem(scopes: readonly string[], current: readonly string[] = []): Promise<string | null> {
  if (scopes.length === 0) return null;
  const kinds = new Map<string, Set<string>>();
  for (const row of await scopeDefinitions(scopes)) kinds.set(row.name, (kinds.get(row.name) ?? new Set()).add(row.tokenKind));
  const missing = scopes.filter((scope) => !kinds.has(scope));
  if (missing.length > 0) return `Unknown scope: ${missing.join(", ")}`;
  const machineOnly = scopes.filter((scope) => !current.includes(scope) && [...kinds.get(scope)!].every((kind) => kind === "client"));
  if (machineOnly.length > 0)
    return `${machineOnly.join(", ")} ${machineOnly.length > 1 ? "are" : "is"} for client credentials only: the API's owner (for the portal's own API, an admin) gives it to the app as machine access on the API's page`;
  return null;
}
