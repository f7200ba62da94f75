/**
 * The operator's command line: `npm run portal -- <command>`.
 * Every command validates all its arguments before writing anything.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { createUser, EmailTakenError, findUserByEmail } from "@/lib/accounts/users";
import { ConfigError, getConfig } from "@/lib/config";
import { closeDb } from "@/lib/db";
import { findResourceApi, ownScopes, portalApiAudience, registerApi } from "@/lib/oauth/apis";
import { giveClientGrant, removeClientGrant } from "@/lib/oauth/client-grants";
import type { RegisteredAuthMethod } from "@/lib/oauth/client-auth";
import { createInitialAccessToken } from "@/lib/oauth/store/initial-access-tokens";
import { GRANT_TYPES, type GrantType, registerClient, grantTypesOf } from "@/lib/oauth/clients";
import {
  configuredAlgorithms,
  createSigningKey,
  listSigningKeys,
  retireSigningKey,
  SIGNING_ALGS,
  type SigningAlg,
  UnknownKeyError,
} from "@/lib/oauth/keys";
import { parseScope } from "@/lib/oauth/scopes";
import { purgeExpiredRows } from "@/lib/purge";
import { describeDatabase, migrateDatabase } from "@/lib/setup/migrate";
import { seedDemo } from "@/lib/setup/seed";
import { OAuthError } from "@/lib/oauth/errors";

const USAGE = `Usage: npm run portal -- <command> [options]

Commands:
  user create --email E --password P [--name N] [--admin]
  client create --name N --redirect-uri U [--redirect-uri U ...] [--scope "a b"]
                [--grant G ...] [--public] [--first-party] [--allow-plain-pkce] [--require-pkce]
                [--require-offline-access] [--require-par] [--require-dpop] [--native] [--auth-method M] [--jwks JSON | --jwks-uri URL]
                [--access-token-lifetime S] [--refresh-token-lifetime S] [--refresh-grace S] [--id-token-alg A]
                [--allowed-origin O ...] [--post-logout-redirect-uri U ...] [--backchannel-logout-uri U]
                [--owner EMAIL] [--logo-url URL] [--json]
        Auth methods: client_secret (default: the secret by Basic or in the body), client_secret_basic or
        client_secret_post (that one only), private_key_jwt (with --jwks or --jwks-uri), none (public apps).
        Without --scope the app may ask, for a person, any scope an API offers people (each person
        consents); with it, only those scopes. Client credentials get theirs from client grant.
        Grants: ${GRANT_TYPES.join(", ")} (default: authorization_code, refresh_token).
        Confidential clients get a client secret, printed only here.
  client grant --client CLIENT_ID --api IDENTIFIER|portal --by EMAIL [--scope "a b"] [--remove]
        machine access: the app may get client-credentials tokens for the API with these scopes
        (replacing what it had; --remove takes it away). --by names who gives it: the API's owner
        or an admin, and for the portal's own API (its admin.* scopes) an admin; it works only
        while they may still give it.
  api create --name N --identifier ID [--scope "name=Sentence on the consent screen" ...]
             [--token-lifetime SECONDS] [--allow-skip-consent] [--allow-offline-access]
             [--offline-access-without-scope] [--owner EMAIL] [--json]
        An API (resource server): apps ask for it with audience=ID or resource=ID.
  registration token create --label L [--uses N] [--days D]
        an initial access token for dynamic client registration (REGISTRATION_POLICY=token),
        printed only here; default 1 use, 7 days
  keys rotate [--alg RS256|ES256|EdDSA]
                 add a new signing key for each algorithm in use (or for --alg) and sign with it from now on
  keys retire KID
                 take a (compromised) key out of the JWKS and refuse every token it signed;
                 a new key signs if it was the signing one
  keys list      the published signing keys
  migrate        apply database migrations
  purge          delete expired rows now (every server also does it every 10 minutes)
  seed           create the demo user and demo app (idempotent)
  help           show this text`;

class UsageError extends Error {}

/** A whole number given as an option (seconds, uses, days), or null when it was not. */
function wholeNumberOption(value: string | undefined, flag: string): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} takes a whole number`);
  return Number(value);
}

/** The user id behind --owner, if given. */
async function ownerIdOf(email: string | undefined): Promise<string | undefined> {
  if (!email) return undefined;
  const owner = await findUserByEmail(email);
  if (!owner) throw new UsageError(`no user with email ${email}`);
  return owner.id;
}

const commands: Record<string, (args: string[]) => Promise<void>> = {
  "user create": async (args) => {
    const { values } = parse(args, {
      email: { type: "string" },
      password: { type: "string" },
      name: { type: "string" },
      admin: { type: "boolean" },
    });
    if (!values.email || !values.password) throw new UsageError("user create needs --email and --password");
    const user = await createUser({ email: values.email, password: values.password, name: values.name, isAdmin: values.admin ?? false });
    console.log(`User created: ${user.email} (id ${user.id})${user.isAdmin ? ", admin" : ""}`);
  },

  "client create": async (args) => {
    const { values } = parse(args, {
      name: { type: "string" },
      "redirect-uri": { type: "string", multiple: true },
      scope: { type: "string" },
      grant: { type: "string", multiple: true },
      public: { type: "boolean" },
      "first-party": { type: "boolean" },
      "allow-plain-pkce": { type: "boolean" },
      "require-pkce": { type: "boolean" },
      "require-offline-access": { type: "boolean" },
      "require-par": { type: "boolean" },
      "require-dpop": { type: "boolean" },
      "refresh-grace": { type: "string" },
      native: { type: "boolean" },
      "auth-method": { type: "string" },
      jwks: { type: "string" },
      "jwks-uri": { type: "string" },
      "access-token-lifetime": { type: "string" },
      "refresh-token-lifetime": { type: "string" },
      "id-token-alg": { type: "string" },
      "allowed-origin": { type: "string", multiple: true },
      "post-logout-redirect-uri": { type: "string", multiple: true },
      "backchannel-logout-uri": { type: "string" },
      owner: { type: "string" },
      "logo-url": { type: "string" },
      json: { type: "boolean" },
    });
    if (!values.name) throw new UsageError("client create needs --name");
    const unknownGrants = (values.grant ?? []).filter((grant) => !(GRANT_TYPES as readonly string[]).includes(grant));
    if (unknownGrants.length > 0) throw new UsageError(`unknown grant type: ${unknownGrants.join(", ")}`);

    const ownerId = await ownerIdOf(values.owner);
    const { client, redirectUris, clientSecret } = await registerClient({
      name: values.name,
      logoUrl: values["logo-url"],
      ownerId,
      isConfidential: !values.public,
      isFirstParty: values["first-party"] ?? false,
      allowPlainPkce: values["allow-plain-pkce"] ?? false,
      requirePkce: values["require-pkce"] ?? false,
      requireOfflineAccess: values["require-offline-access"] ?? false,
      requirePushedRequests: values["require-par"] ?? false,
      requireDpop: values["require-dpop"] ?? false,
      refreshGraceSeconds: wholeNumberOption(values["refresh-grace"], "--refresh-grace") ?? 0,
      applicationType: values.native ? "native" : "web",
      tokenEndpointAuthMethod: values["auth-method"] as RegisteredAuthMethod | undefined,
      jwks: values.jwks,
      jwksUri: values["jwks-uri"],
      accessTokenTtl: wholeNumberOption(values["access-token-lifetime"], "--access-token-lifetime"),
      refreshTokenTtl: wholeNumberOption(values["refresh-token-lifetime"], "--refresh-token-lifetime"),
      idTokenSignedResponseAlg: (values["id-token-alg"] as SigningAlg | undefined) ?? null,
      allowedOrigins: values["allowed-origin"] ?? [],
      postLogoutRedirectUris: values["post-logout-redirect-uri"] ?? [],
      backchannelLogoutUri: values["backchannel-logout-uri"],
      redirectUris: values["redirect-uri"] ?? [],
      grantTypes: values.grant?.length ? (values.grant as GrantType[]) : undefined,
      scopes: values.scope !== undefined ? parseScope(values.scope) : undefined,
    });
    const summary = {
      client_id: client.id,
      ...(clientSecret ? { client_secret: clientSecret } : {}),
      client_name: client.name,
      token_endpoint_auth_method: client.tokenEndpointAuthMethod,
      application_type: client.applicationType,
      grant_types: grantTypesOf(client),
      scope: client.scopes,
      any_user_scope: client.anyUserScope,
      redirect_uris: redirectUris,
      first_party: client.isFirstParty,
    };
    if (values.json) {
      console.log(JSON.stringify(summary, null, 2));
      return;
    }
    console.log(`Client created: ${client.name}`);
    console.log(`  client_id:     ${client.id}`);
    if (clientSecret) console.log(`  client_secret: ${clientSecret}\n  (shown only now: it is stored hashed and cannot be shown again)`);
    console.log(`  type:          ${client.isConfidential ? "confidential" : "public (PKCE required)"}, ${client.applicationType}`);
    console.log(`  auth method:   ${client.tokenEndpointAuthMethod}`);
    console.log(`  grant types:   ${summary.grant_types.join(", ")}`);
    console.log(`  scopes:        ${client.anyUserScope ? "any scope an API offers people (each person consents)" : client.scopes}`);
    for (const uri of redirectUris) console.log(`  redirect URI:  ${uri}`);
  },

  "client grant": async (args) => {
    const { values } = parse(args, {
      client: { type: "string" },
      api: { type: "string" },
      by: { type: "string" },
      scope: { type: "string" },
      remove: { type: "boolean" },
    });
    if (!values.client || !values.api || !values.by) throw new UsageError("client grant needs --client, --api and --by");
    const giver = await findUserByEmail(values.by);
    if (!giver) throw new UsageError(`no user with email ${values.by}`);
    const api = await findResourceApi(values.api === "portal" ? portalApiAudience() : values.api);
    if (!api) throw new UsageError(`no API has the identifier ${values.api}`);
    if (values.remove) {
      await removeClientGrant(api, values.client, giver);
      console.log(`${values.client} may no longer get client-credentials tokens for ${api.identifier}.`);
      return;
    }
    const scopes = parseScope(values.scope);
    await giveClientGrant(api, values.client, scopes, giver);
    console.log(
      `${values.client} may get client-credentials tokens for ${api.identifier} with ${scopes.join(" ") || "no scopes"}, given by ${giver.email}.`,
    );
  },

  "api create": async (args) => {
    const { values } = parse(args, {
      name: { type: "string" },
      identifier: { type: "string" },
      scope: { type: "string", multiple: true },
      "token-lifetime": { type: "string" },
      "allow-skip-consent": { type: "boolean" },
      "allow-offline-access": { type: "boolean" },
      "offline-access-without-scope": { type: "boolean" },
      owner: { type: "string" },
      json: { type: "boolean" },
    });
    if (!values.name || !values.identifier) throw new UsageError("api create needs --name and --identifier");
    const scopes = (values.scope ?? []).map((entry) => {
      const separator = entry.indexOf("=");
      if (separator < 1) throw new UsageError(`--scope takes name=Sentence, not ${entry}`);
      return { name: entry.slice(0, separator).trim(), description: entry.slice(separator + 1) };
    });
    const accessTokenTtl = wholeNumberOption(values["token-lifetime"], "--token-lifetime");
    const api = await registerApi(
      {
        name: values.name,
        identifier: values.identifier,
        scopes,
        accessTokenTtl,
        allowSkipConsent: values["allow-skip-consent"] ?? false,
        allowOfflineAccess: values["allow-offline-access"] ?? false,
        offlineAccessScopeRequired: !values["offline-access-without-scope"],
      },
      (await ownerIdOf(values.owner)) ?? null,
    );
    const own = ownScopes(api).map(([name]) => name);
    if (values.json) {
      console.log(
        JSON.stringify(
          { id: api.id, name: api.name, identifier: api.identifier, scopes: own, access_token_lifetime: api.accessTokenTtl },
          null,
          2,
        ),
      );
      return;
    }
    console.log(`API created: ${api.name}`);
    console.log(`  identifier:    ${api.identifier}  (apps send audience=${api.identifier})`);
    console.log(`  scopes:        ${own.join(" ") || "(none)"}`);
    console.log(`  token lifetime: ${api.accessTokenTtl} s`);
  },

  "registration token": async (args) => {
    const { values, positionals } = parse(args, { label: { type: "string" }, uses: { type: "string" }, days: { type: "string" } }, true);
    if (positionals[0] !== "create" || positionals.length !== 1) throw new UsageError("registration token takes create");
    if (!values.label?.trim()) throw new UsageError("registration token create needs --label");
    const uses = wholeNumberOption(values.uses, "--uses") ?? 1;
    const days = wholeNumberOption(values.days, "--days") ?? 7;
    if (uses < 1 || uses > 10_000 || days < 1 || days > 365) throw new UsageError("--uses is 1 to 10000 and --days 1 to 365");
    const { token, expiresAt } = await createInitialAccessToken({ label: values.label.trim(), uses, days, createdById: null });
    console.log(
      `Initial access token (${uses} use${uses === 1 ? "" : "s"}, until ${expiresAt.toISOString()}):\n  ${token}\n(shown only now: it is stored hashed)`,
    );
  },

  "keys rotate": async (args) => {
    const { values } = parse(args, { alg: { type: "string" } });
    if (values.alg !== undefined && !(SIGNING_ALGS as readonly string[]).includes(values.alg))
      throw new UsageError(`--alg must be one of ${SIGNING_ALGS.join(", ")}`);
    // Those configured, and any an app chose for its ID tokens (id_token_signed_response_alg).
    const inUse = new Set([...configuredAlgorithms(), ...(await listSigningKeys()).map((key) => key.alg as SigningAlg)]);
    for (const alg of values.alg ? [values.alg as SigningAlg] : inUse) {
      const { kid, signsFrom } = await createSigningKey(alg);
      console.log(`New ${alg} signing key ${kid} is published now and signs from ${signsFrom.toISOString()} (SIGNING_KEY_PUBLISH_AHEAD).`);
    }
    console.log("Earlier keys stay in the JWKS, so their tokens stay valid until they expire.");
  },

  "keys retire": async (args) => {
    // A kid may begin with "-" (it is base64url): every argument is a kid, never an option.
    const { positionals } = parse(["--", ...(args[0] === "--" ? args.slice(1) : args)], {}, true);
    if (positionals.length !== 1) throw new UsageError("keys retire needs the kid of one key (see keys list)");
    const replacement = await retireSigningKey(positionals[0]!);
    console.log(
      `Signing key ${positionals[0]} is retired: it is no longer published and its tokens are refused (at every server within 5 seconds).`,
    );
    if (replacement) console.log(`It was the signing key; new key ${replacement} signs from now on.`);
  },

  "keys list": async () => {
    for (const key of await listSigningKeys()) {
      console.log(`${key.kid}  ${key.alg.padEnd(5)}  created ${key.createdAt.toISOString()}${key.active ? "  (signing)" : ""}`);
    }
  },

  migrate: async () => {
    const applied = await migrateDatabase();
    console.log(`Migrations applied to ${describeDatabase(getConfig().databaseUrl)}${applied.length ? `: ${applied.join(", ")}` : ""}`);
  },

  purge: async () => {
    const counts = await purgeExpiredRows();
    console.log(
      `Deleted ${Object.entries(counts)
        .map(([table, count]) => `${count} ${table}`)
        .join(", ")}.`,
    );
  },

  seed: async () => {
    for (const line of await seedDemo()) console.log(line);
  },

  help: async () => console.log(USAGE),
};

function parse<const T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function main(argv: string[]): Promise<number> {
  const twoWords = argv.slice(0, 2).join(" ");
  const [name, args] = commands[twoWords] ? [twoWords, argv.slice(2)] : [argv[0] ?? "", argv.slice(1)];
  const command = commands[name];
  try {
    if (!command) throw new UsageError(name ? `unknown command: ${argv.slice(0, 2).join(" ")}` : "no command given");
    getConfig();
    await command(args);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof OAuthError) {
      console.error(`error: ${error.description}`);
      return 1;
    }
    if (error instanceof EmailTakenError || error instanceof ConfigError || error instanceof UnknownKeyError) {
      console.error(`error: ${error.message}`);
      return 1;
    }
    if (error instanceof Error && error.name === "ZodError") {
      const issues = (error as unknown as { issues: { path: PropertyKey[]; message: string }[] }).issues;
      console.error(`error: ${issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
      return 1;
    }
    throw error;
  } finally {
    await closeDb();
  }
}

process.exitCode = await main(process.argv.slice(2));
