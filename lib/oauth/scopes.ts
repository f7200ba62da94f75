/** Scope strings (RFC 6749 §3.3), and the scopes the registered APIs define. */
import { definedScopeNames, listAllApiScopes } from "@/lib/oauth/store/apis";

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

/** Every scope name some API defines, for choosing an app's scopes. */
export async function scopeChoices(options: { includeAdmin?: boolean } = {}): Promise<ScopeChoice[]> {
  const byName = new Map<string, ScopeChoice>();
  for (const scope of await listAllApiScopes()) {
    // The management API's scopes are offered to admins only (and issued only to apps an admin owns).
    if (!options.includeAdmin && scope.apiId === "portal" && isAdminScope(scope.name)) continue;
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

/** The names among `scopes` that no API defines. */
export async function unknownScopes(scopes: string[]): Promise<string[]> {
  if (scopes.length === 0) return [];
  const known = new Set(await definedScopeNames(scopes));
  return scopes.filter((scope) => !known.has(scope));
}

/** The portal API's administration scopes (the management API): issued only to apps an admin owns. */
export const ADMIN_SCOPES = ["admin.apps", "admin.users", "admin.audit"] as const;

export function isAdminScope(scope: string): boolean {
  return (ADMIN_SCOPES as readonly string[]).includes(scope);
}
