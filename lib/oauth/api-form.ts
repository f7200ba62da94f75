/** Reading the API form (dashboard) into the shape the API services take, and back. */
import type { ApiChanges, ResourceApi } from "@/lib/oauth/apis";
import { ownScopes } from "@/lib/oauth/apis";

/** What the person typed, kept to fill the form again after an error. */
export type ApiFormValues = {
  name: string;
  identifier: string;
  /** One scope per line: its name, a space, then the sentence people read on the consent screen. */
  scopes: string;
  accessTokenTtl: string;
  allowSkipConsent: boolean;
  allowOfflineAccess: boolean;
  offlineAccessScopeRequired: boolean;
};

export function apiFormValues(form: FormData): ApiFormValues {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    name: text("name"),
    identifier: text("identifier").trim(),
    scopes: text("scopes"),
    accessTokenTtl: text("accessTokenTtl").trim(),
    allowSkipConsent: form.get("allowSkipConsent") === "on",
    allowOfflineAccess: form.get("allowOfflineAccess") === "on",
    offlineAccessScopeRequired: form.get("offlineAccessScopeRequired") === "on",
  };
}

export function apiFormValuesOf(api: ResourceApi, defaultTtl: number): ApiFormValues {
  return {
    name: api.name,
    identifier: api.identifier,
    scopes: ownScopes(api)
      .map(([name, scope]) => `${name} ${scope.description}`)
      .join("\n"),
    accessTokenTtl: api.accessTokenTtl === defaultTtl ? "" : String(api.accessTokenTtl),
    allowSkipConsent: api.allowSkipConsent,
    allowOfflineAccess: api.allowOfflineAccess,
    offlineAccessScopeRequired: api.offlineAccessScopeRequired,
  };
}

/** Scope lines: "name sentence"; blank lines are ignored. A scope's kind is kept from what the API had. */
export function scopeLines(text: string, existing?: ResourceApi): ApiChanges["scopes"] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [name = "", ...words] = line.split(/\s+/);
      return { name, description: words.join(" "), tokenKind: (existing?.scopes.get(name)?.tokenKind ?? "any") as "any" };
    });
}

export function apiChangesOf(values: ApiFormValues, existing?: ResourceApi): ApiChanges {
  const ttl = values.accessTokenTtl === "" ? null : Number(values.accessTokenTtl);
  return {
    name: values.name,
    scopes: scopeLines(values.scopes, existing),
    accessTokenTtl: ttl,
    allowSkipConsent: values.allowSkipConsent,
    allowOfflineAccess: values.allowOfflineAccess,
    offlineAccessScopeRequired: values.offlineAccessScopeRequired,
  };
}
