/**
 * The only reader of process.env. Every setting is validated with zod once, on
 * first use; `npm start` and the CLI load it before anything else so a bad
 * variable stops the portal with a message naming it.
 */
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const seconds = (fallback: number, max?: number) => {
  let schema = z.coerce.number().int().positive();
  if (max !== undefined) schema = schema.max(max);
  return schema.default(fallback);
};

const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no", "on", "off"])
    .default(fallback ? "true" : "false")
    .transform((value) => ["true", "1", "yes", "on"].includes(value));

const secret = z.string().min(32, "must be at least 32 characters").optional();

const envSchema = z.object({
  PORTAL_ENV: z.enum(["development", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // Development listens on this machine only unless told otherwise; production on every interface.
  HOST: z.string().min(1).optional(),
  ISSUER_URL: z
    .url()
    .refine((value) => /^https?:\/\//.test(value), "must be an http(s) URL")
    .refine((value) => {
      const url = new URL(value);
      return !url.search && !url.hash && !value.endsWith("/");
    }, "must have no query, fragment or trailing slash")
    .optional(),
  DATABASE_URL: z
    .string()
    .refine(
      (value) => value.startsWith("file:") || isPostgresUrl(value),
      "must be file:<path> (SQLite) or postgresql://user:password@host:port/database",
    )
    .default("file:./data/portal.db"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  // Seconds a PostgreSQL statement may run before the server cancels it.
  DATABASE_STATEMENT_TIMEOUT: seconds(5),
  DATA_DIR: z.string().min(1).default("./data"),
  SESSION_SECRET: secret,
  SERVER_SECRET: secret,
  BRAND_NAME: z.string().trim().min(1).max(60).default("Identity Portal"),
  BRAND_ICON_URL: z.string().min(1).default("/brand-icon.svg"),
  BRAND_COLOR: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #4f46e5")
    .default("#4f46e5"),
  ACCESS_TOKEN_TTL: seconds(3600),
  // RFC 6749 §4.1.2: a code lives at most 10 minutes.
  AUTHORIZATION_CODE_TTL: seconds(300, 600),
  REFRESH_TOKEN_TTL: seconds(30 * 24 * 3600),
  // A family of refresh tokens ends this long after the sign-in, however often it is used.
  REFRESH_TOKEN_ABSOLUTE_TTL: seconds(90 * 24 * 3600),
  // PKCE for every app; otherwise per app (always for public apps), so that confidential apps can run seed 003 as written.
  REQUIRE_PKCE: flag(false),
  // A session ends after this long without use, and this long after the sign-in whatever the use.
  SESSION_IDLE_TTL: seconds(7 * 24 * 3600),
  SESSION_ABSOLUTE_TTL: seconds(30 * 24 * 3600),
  // DPoP proofs must carry the server's nonce (RFC 9449 §8), which changes every 5 minutes.
  DPOP_REQUIRE_NONCE: flag(false),
  // Dynamic client registration (RFC 7591): off, token (an admin's initial access token) or open (public clients, for MCP).
  REGISTRATION_POLICY: z.enum(["off", "token", "open"]).default("off"),
  // Open registrations per address per hour.
  REGISTRATION_MAX_PER_IP: z.coerce.number().int().min(1).max(10_000).default(10),
  // Asymmetric only (never none or HS*). ID tokens: RS256 by default, since OpenID Connect clients assume it.
  SIGNING_ALG: z.enum(["RS256", "ES256", "EdDSA"]).default("RS256"),
  // Access tokens: ES256 by default, a tenth of RS256's signing cost, and verified by every JOSE library.
  ACCESS_TOKEN_SIGNING_ALG: z.enum(["RS256", "ES256", "EdDSA"]).default("ES256"),
  // How many proxies in front of the portal append to X-Forwarded-For: false (none), true (one) or a number.
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2})$/, "must be true, false or the number of trusted proxies")
    .default("false")
    .transform((value) => (value === "true" ? 1 : value === "false" ? 0 : Number(value))),
  SIGNIN_MAX_ATTEMPTS_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  SIGNIN_MAX_ATTEMPTS_PER_IP: z.coerce.number().int().positive().default(20),
  SIGNIN_THROTTLE_WINDOW: seconds(15 * 60),
  SIGNIN_ACCOUNT_PACE: seconds(30),
  SIGNUP_MAX_PER_IP: z.coerce.number().int().positive().default(10),
  SIGNUP_THROTTLE_WINDOW: seconds(3600),
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).max(10_000).default(32),
  // Audit events older than this many days are deleted; 0 keeps them forever. At least 30:
  // the purge of unused open registrations reads their last 30 days of tokens.
  AUDIT_LOG_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .refine((days) => days === 0 || (days >= 30 && days <= 36_500), "must be 0 (keep forever) or from 30 to 36500 days")
    .default(365),
  // Worker processes sharing the port: a number, or "auto" for one per core.
  WORKERS: z
    .string()
    .regex(/^(auto|[1-9]\d?)$/, "must be a number from 1 to 99, or auto")
    .default("1")
    .transform((value) => (value === "auto" ? availableParallelism() : Number(value))),
  // Serves Prometheus metrics at /metrics to this bearer token; unset, /metrics is off.
  // Mail (password resets, sign-up and email confirmations) goes out through this server: smtp(s)://user:password@host:port.
  // Unset in development, mail goes to the outbox at /dev/mail and the console.
  SMTP_URL: z
    .string()
    .refine((value) => /^smtps?:\/\/[^/]+/.test(value), "must be smtp://… or smtps://…")
    .optional(),
  MAIL_FROM: z.string().trim().min(3).max(200).optional(),
  // People may create accounts on the sign-up page (confirmed by mail).
  SIGN_UP: flag(true),
  // "Forgot password" sends a reset link by mail.
  PASSWORD_RESET: flag(true),
  // Apps may be authorized only by people who confirmed their email.
  REQUIRE_VERIFIED_EMAIL: flag(false),
  // A new signing key is published this long (seconds) before it signs, so every instance's JWKS lists it first.
  SIGNING_KEY_PUBLISH_AHEAD: z.coerce.number().int().min(0).max(86_400).default(180),
  // Changes to a person's factors and deleting the account need a sign-in this recent (seconds): "sudo mode".
  STEP_UP_MAX_AGE: seconds(300, 86_400),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  HTTP_HEADERS_TIMEOUT: seconds(10),
  HTTP_REQUEST_TIMEOUT: seconds(30),
  HTTP_KEEP_ALIVE_TIMEOUT: seconds(5),
});

export type Config = ReturnType<typeof buildConfig>;

export class ConfigError extends Error {
  override name = "ConfigError";
}

function buildConfig(env: Record<string, string | undefined>) {
  // Empty variables count as unset, as in most twelve-factor tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const vars = parsed.data;
  const production = vars.PORTAL_ENV === "production";
  const dataDir = path.resolve(vars.DATA_DIR);
  const issuer = vars.ISSUER_URL ?? `http://localhost:${vars.PORT}`;
  // Development generates its secrets and keeps mail in /dev/mail: it must not serve a network.
  if (!production && vars.HOST && !isLoopbackHost(vars.HOST)) {
    throw new ConfigError(
      `Invalid configuration:\n  HOST: a development portal listens on a loopback address only (got ${vars.HOST}); set PORTAL_ENV=production to serve a network`,
    );
  }
  if (production && issuer.startsWith("http://") && !isLoopbackHost(new URL(issuer).hostname)) {
    throw new ConfigError(
      "Invalid configuration:\n  ISSUER_URL: must be https when PORTAL_ENV=production (plain http only on a loopback address): cookies, tokens and secrets cross it",
    );
  }
  if (production && !vars.SMTP_URL && (vars.SIGN_UP || vars.PASSWORD_RESET)) {
    throw new ConfigError(
      "Invalid configuration:\n  SMTP_URL: required when PORTAL_ENV=production, since sign-up and password resets send mail (or set SIGN_UP=off and PASSWORD_RESET=off)",
    );
  }

  return {
    production,
    logLevel: vars.LOG_LEVEL,
    port: vars.PORT,
    host: vars.HOST ?? (production ? "0.0.0.0" : "127.0.0.1"),
    issuer,
    /** Cookies get `Secure` whenever the portal is served over https. */
    secureCookies: issuer.startsWith("https://"),
    databaseUrl: isPostgresUrl(vars.DATABASE_URL) ? vars.DATABASE_URL : absoluteSqliteUrl(vars.DATABASE_URL),
    database: {
      provider: isPostgresUrl(vars.DATABASE_URL) ? ("postgresql" as const) : ("sqlite" as const),
      poolSize: vars.DATABASE_POOL_SIZE,
      statementTimeoutMs: vars.DATABASE_STATEMENT_TIMEOUT * 1000,
    },
    dataDir,
    sessionSecret: vars.SESSION_SECRET ?? developmentSecret("SESSION_SECRET", production, dataDir),
    serverSecret: vars.SERVER_SECRET ?? developmentSecret("SERVER_SECRET", production, dataDir),
    brand: { name: vars.BRAND_NAME, iconUrl: vars.BRAND_ICON_URL, color: vars.BRAND_COLOR },
    ttl: {
      accessToken: vars.ACCESS_TOKEN_TTL,
      authorizationCode: vars.AUTHORIZATION_CODE_TTL,
      refreshToken: vars.REFRESH_TOKEN_TTL,
      refreshTokenAbsolute: vars.REFRESH_TOKEN_ABSOLUTE_TTL,
    },
    requirePkce: vars.REQUIRE_PKCE,
    sessionTtl: { idleSeconds: vars.SESSION_IDLE_TTL, absoluteSeconds: vars.SESSION_ABSOLUTE_TTL },
    dpopRequireNonce: vars.DPOP_REQUIRE_NONCE,
    /** The algorithm of ID tokens. */
    signingAlg: vars.SIGNING_ALG,
    accessTokenSigningAlg: vars.ACCESS_TOKEN_SIGNING_ALG,
    /** Proxies in front of the portal, each appending the address it saw to X-Forwarded-For. */
    trustedProxyHops: vars.TRUST_PROXY,
    signInThrottle: {
      maxAttemptsPerAccount: vars.SIGNIN_MAX_ATTEMPTS_PER_ACCOUNT,
      maxAttemptsPerIp: vars.SIGNIN_MAX_ATTEMPTS_PER_IP,
      windowSeconds: vars.SIGNIN_THROTTLE_WINDOW,
      accountPaceSeconds: vars.SIGNIN_ACCOUNT_PACE,
    },
    signUpThrottle: { maxPerIp: vars.SIGNUP_MAX_PER_IP, windowSeconds: vars.SIGNUP_THROTTLE_WINDOW },
    /** Days the audit log keeps an event; 0: forever. */
    auditLogRetentionDays: vars.AUDIT_LOG_RETENTION_DAYS,
    registration: { policy: vars.REGISTRATION_POLICY, maxPerIp: vars.REGISTRATION_MAX_PER_IP, windowSeconds: 3600 },
    passwordHashing: { concurrency: vars.PASSWORD_HASH_CONCURRENCY, queue: vars.PASSWORD_HASH_QUEUE },
    mail: {
      smtpUrl: vars.SMTP_URL,
      from: vars.MAIL_FROM ?? `"${vars.BRAND_NAME.replace(/["\\]/g, "")}" <no-reply@${new URL(issuer).hostname}>`,
      /** Mail can go out: through SMTP, or to development's outbox. */
      available: Boolean(vars.SMTP_URL) || !production,
    },
    signUpOpen: vars.SIGN_UP,
    passwordReset: vars.PASSWORD_RESET,
    requireVerifiedEmail: vars.REQUIRE_VERIFIED_EMAIL,
    stepUpMaxAgeSeconds: vars.STEP_UP_MAX_AGE,
    signingKeyPublishAheadSeconds: vars.SIGNING_KEY_PUBLISH_AHEAD,
    metricsToken: vars.METRICS_TOKEN,
    workers: vars.WORKERS,
    http: {
      headersTimeoutSeconds: Math.min(vars.HTTP_HEADERS_TIMEOUT, vars.HTTP_REQUEST_TIMEOUT),
      requestTimeoutSeconds: vars.HTTP_REQUEST_TIMEOUT,
      keepAliveTimeoutSeconds: vars.HTTP_KEEP_ALIVE_TIMEOUT,
    },
  };
}

function isPostgresUrl(value: string): boolean {
  if (!/^postgres(ql)?:\/\//.test(value)) return false;
  try {
    const url = new URL(value);
    return url.hostname !== "" && url.pathname.length > 1;
  } catch {
    return false;
  }
}

/** Relative SQLite paths are taken from the working directory, for the CLI and the server alike. */
function absoluteSqliteUrl(url: string): string {
  const file = url.slice("file:".length);
  return `file:${path.resolve(file)}`;
}

/**
 * In development a missing secret is generated once and kept in the data
 * directory, so sessions and stored hashes survive restarts. Production must
 * set it: a secret on the same disk as the database protects nothing.
 */
/** localhost, 127.0.0.0/8 or ::1: this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "");
  return bare === "localhost" || bare === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

function developmentSecret(name: string, production: boolean, dataDir: string): string {
  if (production) throw new ConfigError(`Invalid configuration:\n  ${name}: required when PORTAL_ENV=production`);
  const file = path.join(dataDir, `${name.toLowerCase().replace(/_/g, "-")}.txt`);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process (the CLI beside the server) wrote it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(file, "utf8").trim();
    throw error;
  }
  console.warn(`warning: ${name} is not set; generated one for development in ${file}`);
  return value;
}

let cached: Config | undefined;

export function getConfig(): Config {
  cached ??= buildConfig(process.env);
  return cached;
}

/**
 * The log level alone, for the logger: it starts before the configuration is
 * checked, so that a bad configuration can still be logged (buildConfig then
 * refuses a bad LOG_LEVEL with the rest).
 */
export function logLevel(): z.infer<typeof envSchema>["LOG_LEVEL"] {
  return envSchema.shape.LOG_LEVEL.catch("info").parse(process.env.LOG_LEVEL || undefined);
}

/** For tests: build a config from explicit variables without touching the cache. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  return buildConfig(env);
}
