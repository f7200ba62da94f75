/** Reading the app form (dashboard) into the shape the client services take, and back. */
import type { ClientChanges } from "@/lib/oauth/clients";
import { GRANT_TYPES, type GrantType } from "@/lib/oauth/clients";

/** What the person typed, kept to fill the form again after an error. */
export type AppFormValues = {
  name: string;
  logoUrl: string;
  type: "confidential" | "public";
  grantTypes: string[];
  scopes: string[];
  redirectUris: string;
  requirePkce: boolean;
  requireOfflineAccess: boolean;
};

export function appFormValues(form: FormData): AppFormValues {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    name: text("name"),
    logoUrl: text("logoUrl").trim(),
    type: text("type") === "public" ? "public" : "confidential",
    grantTypes: form.getAll("grantTypes").map(String),
    scopes: form.getAll("scopes").map(String),
    redirectUris: text("redirectUris"),
    requirePkce: form.getAll("options").includes("requirePkce"),
    requireOfflineAccess: form.getAll("options").includes("requireOfflineAccess"),
  };
}

/** One redirect URI per line; blank lines are ignored. */
export function redirectUriLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

export function clientChangesOf(values: AppFormValues): ClientChanges {
  return {
    name: values.name,
    logoUrl: values.logoUrl === "" ? undefined : values.logoUrl,
    grantTypes: values.grantTypes.filter((grant): grant is GrantType => (GRANT_TYPES as readonly string[]).includes(grant)),
    scopes: values.scopes,
    isConfidential: values.type === "confidential",
    requirePkce: values.requirePkce,
    requireOfflineAccess: values.requireOfflineAccess,
  };
}
