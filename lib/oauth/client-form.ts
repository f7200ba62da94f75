/** Reading the app form (dashboard) into the shape the client services take, and back. */
import type { Client } from "@/lib/generated/prisma/client";
import { REGISTERED_AUTH_METHODS, type RegisteredAuthMethod } from "@/lib/oauth/client-auth";
import type { ClientChanges } from "@/lib/oauth/clients";
import { SIGNING_ALGS, type SigningAlg } from "@/lib/oauth/keys";
import { GRANT_TYPES, type GrantType, grantTypesOf } from "@/lib/oauth/clients";

/** What the person typed, kept to fill the form again after an error. */
export type AppFormValues = {
  name: string;
  logoUrl: string;
  type: "confidential" | "public";
  grantTypes: string[];
  scopes: string[];
  /** People may be asked for any scope an API offers them, not only `scopes`. */
  anyUserScope: boolean;
  redirectUris: string;
  requirePkce: boolean;
  requireOfflineAccess: boolean;
  requirePushedRequests: boolean;
  requireDpop: boolean;
  refreshGraceSeconds: string;
  applicationType: "web" | "native";
  /** One of REGISTERED_AUTH_METHODS; one that does not fit the type gives way to the type's default (the secret either way, or none for public apps). */
  tokenEndpointAuthMethod: string;
  jwks: string;
  jwksUri: string;
  accessTokenTtl: string;
  refreshTokenTtl: string;
  /** Empty: SIGNING_ALG. */
  idTokenSignedResponseAlg: string;
  /** One per line. */
  allowedOrigins: string;
  /** One per line. */
  postLogoutRedirectUris: string;
  backchannelLogoutUri: string;
};

export function appFormValues(form: FormData): AppFormValues {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    name: text("name"),
    logoUrl: text("logoUrl").trim(),
    type: text("type") === "public" ? "public" : "confidential",
    grantTypes: form.getAll("grantTypes").map(String),
    scopes: form.getAll("scopes").map(String),
    anyUserScope: text("scopeRule") === "any",
    redirectUris: text("redirectUris"),
    requirePkce: form.getAll("options").includes("requirePkce"),
    requireOfflineAccess: form.getAll("options").includes("requireOfflineAccess"),
    requirePushedRequests: form.getAll("options").includes("requirePushedRequests"),
    requireDpop: form.getAll("options").includes("requireDpop"),
    refreshGraceSeconds: text("refreshGraceSeconds").trim(),
    applicationType: text("applicationType") === "native" ? "native" : "web",
    tokenEndpointAuthMethod: text("tokenEndpointAuthMethod"),
    jwks: text("jwks").trim(),
    jwksUri: text("jwksUri").trim(),
    accessTokenTtl: text("accessTokenTtl").trim(),
    refreshTokenTtl: text("refreshTokenTtl").trim(),
    idTokenSignedResponseAlg: text("idTokenSignedResponseAlg"),
    allowedOrigins: text("allowedOrigins"),
    postLogoutRedirectUris: text("postLogoutRedirectUris"),
    backchannelLogoutUri: text("backchannelLogoutUri").trim(),
  };
}

/** One entry per line (redirect URIs, origins); blank lines are ignored. */
export function nonEmptyLines(text: string): string[] {
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
    anyUserScope: values.anyUserScope,
    isConfidential: values.type === "confidential",
    requirePkce: values.requirePkce,
    requireOfflineAccess: values.requireOfflineAccess,
    requirePushedRequests: values.requirePushedRequests,
    requireDpop: values.requireDpop,
    refreshGraceSeconds: seconds(values.refreshGraceSeconds) ?? 0,
    applicationType: values.applicationType,
    tokenEndpointAuthMethod: authMethodOf(values),
    jwks: values.jwks || undefined,
    jwksUri: values.jwksUri || undefined,
    accessTokenTtl: seconds(values.accessTokenTtl),
    refreshTokenTtl: seconds(values.refreshTokenTtl),
    idTokenSignedResponseAlg: (SIGNING_ALGS as readonly string[]).includes(values.idTokenSignedResponseAlg)
      ? (values.idTokenSignedResponseAlg as SigningAlg)
      : null,
    allowedOrigins: nonEmptyLines(values.allowedOrigins),
    postLogoutRedirectUris: nonEmptyLines(values.postLogoutRedirectUris),
    backchannelLogoutUri: values.backchannelLogoutUri || undefined,
  };
}

/** The chosen method; one that does not fit the chosen type (after switching it) gives way to the type's default. */
function authMethodOf(values: AppFormValues): RegisteredAuthMethod | undefined {
  const method = values.tokenEndpointAuthMethod;
  if (!(REGISTERED_AUTH_METHODS as readonly string[]).includes(method)) return undefined;
  return (method === "none") === (values.type === "public") ? (method as RegisteredAuthMethod) : undefined;
}

/** A lifetime field: blank means the default (null); anything else must be whole seconds (else NaN, which validation refuses). */
function seconds(text: string): number | null {
  return text === "" ? null : /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

/** The form's values for an app as stored. */
export function appFormValuesOf(app: Client & { redirectUris: { uri: string }[] }): AppFormValues {
  return {
    name: app.name,
    logoUrl: app.logoUrl ?? "",
    type: app.isConfidential ? "confidential" : "public",
    grantTypes: grantTypesOf(app),
    scopes: app.scopes.split(" ").filter(Boolean),
    anyUserScope: app.anyUserScope,
    redirectUris: app.redirectUris.map(({ uri }) => uri).join("\n"),
    requirePkce: app.requirePkce,
    requireOfflineAccess: app.requireOfflineAccess,
    requirePushedRequests: app.requirePushedRequests,
    requireDpop: app.requireDpop,
    refreshGraceSeconds: app.refreshGraceSeconds === 0 ? "" : String(app.refreshGraceSeconds),
    applicationType: app.applicationType === "native" ? "native" : "web",
    tokenEndpointAuthMethod: app.tokenEndpointAuthMethod,
    jwks: app.jwks ?? "",
    jwksUri: app.jwksUri ?? "",
    accessTokenTtl: app.accessTokenTtl?.toString() ?? "",
    refreshTokenTtl: app.refreshTokenTtl?.toString() ?? "",
    idTokenSignedResponseAlg: app.idTokenSignedResponseAlg ?? "",
    allowedOrigins: app.allowedOrigins.split(" ").filter(Boolean).join("\n"),
    postLogoutRedirectUris: app.postLogoutRedirectUris.split(" ").filter(Boolean).join("\n"),
    backchannelLogoutUri: app.backchannelLogoutUri ?? "",
  };
}
