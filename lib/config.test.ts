import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { logLevel, parseConfig } from "./config";

const secrets = { SESSION_SECRET: "s".repeat(32), SERVER_SECRET: "k".repeat(32) };

describe("configuration", () => {
  it("has the documented defaults", () => {
    const config = parseConfig({ ...secrets });
    expect(config.port).toBe(3000);
    expect(config.issuer).toBe("http://localhost:3000");
    expect(config.databaseUrl).toBe(`file:${path.resolve("data/portal.db")}`);
    expect(config.ttl).toEqual({ accessToken: 3600, authorizationCode: 300, refreshToken: 2592000, refreshTokenAbsolute: 7776000 });
    expect(config.trustedProxyHops).toBe(0);
    expect(config.requirePkce).toBe(false);
    expect(config.signingAlg).toBe("RS256");
    expect(config.secureCookies).toBe(false);
    expect(config.sessionTtl).toEqual({ idleSeconds: 604800, absoluteSeconds: 2592000 });
    expect(config.registration.policy).toBe("off");
  });

  it("listens on this machine only in development, on every interface in production", () => {
    expect(parseConfig({ ...secrets }).host).toBe("127.0.0.1");
    expect(parseConfig({ ...secrets, HOST: "::1" }).host).toBe("::1");
    // Development generates its secrets and keeps mail at /dev/mail: never on a network.
    expect(() => parseConfig({ ...secrets, HOST: "0.0.0.0" })).toThrow(/HOST: a development portal listens on a loopback address only/);
    expect(() => parseConfig({ ...secrets, HOST: "192.168.1.20" })).toThrow(/HOST/);
    expect(
      parseConfig({ ...secrets, PORTAL_ENV: "production", ISSUER_URL: "https://id.example.com", SMTP_URL: "smtp://mail.internal:587" })
        .host,
    ).toBe("0.0.0.0");
  });

  it("derives the issuer from PORT and marks https issuers for secure cookies", () => {
    expect(parseConfig({ ...secrets, PORT: "4000" }).issuer).toBe("http://localhost:4000");
    expect(parseConfig({ ...secrets, ISSUER_URL: "https://id.example.com" }).secureCookies).toBe(true);
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ ISSUER_URL: "https://id.example.com/" }, "ISSUER_URL"],
    [{ BRAND_COLOR: "blue" }, "BRAND_COLOR"],
    [{ AUTHORIZATION_CODE_TTL: "3600" }, "AUTHORIZATION_CODE_TTL"],
    [{ SESSION_SECRET: "short" }, "SESSION_SECRET"],
    [{ TRUST_PROXY: "yes please" }, "TRUST_PROXY"],
    [{ DATABASE_URL: "mysql://localhost/portal" }, "DATABASE_URL"],
    [{ DATABASE_URL: "postgresql://localhost" }, "DATABASE_URL"],
    [{ DATABASE_POOL_SIZE: "0" }, "DATABASE_POOL_SIZE"],
    // Under 30 days, the purge would take apps registered openly for unused.
    [{ AUDIT_LOG_RETENTION_DAYS: "29" }, "AUDIT_LOG_RETENTION_DAYS"],
    [{ AUDIT_LOG_RETENTION_DAYS: "-1" }, "AUDIT_LOG_RETENTION_DAYS"],
  ])("names the bad variable in %j", (env, name) => {
    expect(() => parseConfig({ ...secrets, ...env })).toThrow(new RegExp(`${name}: `));
  });

  it("keeps audit events AUDIT_LOG_RETENTION_DAYS, or forever with 0", () => {
    expect(parseConfig({ ...secrets }).auditLogRetentionDays).toBe(365);
    expect(parseConfig({ ...secrets, AUDIT_LOG_RETENTION_DAYS: "0" }).auditLogRetentionDays).toBe(0);
    expect(parseConfig({ ...secrets, AUDIT_LOG_RETENTION_DAYS: "30" }).auditLogRetentionDays).toBe(30);
  });

  it("reads LOG_LEVEL, refusing a level the logger does not have", () => {
    expect(parseConfig({}).logLevel).toBe("info");
    expect(parseConfig({ LOG_LEVEL: "debug" }).logLevel).toBe("debug");
    expect(() => parseConfig({ LOG_LEVEL: "chatty" })).toThrow(/LOG_LEVEL/);
    // The logger starts before the configuration is checked: a bad level falls back rather than stopping it.
    const before = process.env.LOG_LEVEL;
    try {
      process.env.LOG_LEVEL = "chatty";
      expect(logLevel()).toBe("info");
      process.env.LOG_LEVEL = "warn";
      expect(logLevel()).toBe("warn");
    } finally {
      if (before === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = before;
    }
  });

  it("reads TRUST_PROXY as a number of proxies", () => {
    expect(parseConfig({ ...secrets, TRUST_PROXY: "true" }).trustedProxyHops).toBe(1);
    expect(parseConfig({ ...secrets, TRUST_PROXY: "false" }).trustedProxyHops).toBe(0);
    expect(parseConfig({ ...secrets, TRUST_PROXY: "2" }).trustedProxyHops).toBe(2);
  });

  it("takes SQLite file URLs and PostgreSQL URLs", () => {
    expect(parseConfig({ ...secrets }).database).toEqual({ provider: "sqlite", poolSize: 10, statementTimeoutMs: 5000 });
    const postgres = parseConfig({
      ...secrets,
      DATABASE_URL: "postgresql://portal:secret@db.internal:5432/portal",
      DATABASE_POOL_SIZE: "20",
    });
    expect(postgres.database).toEqual({ provider: "postgresql", poolSize: 20, statementTimeoutMs: 5000 });
    expect(postgres.databaseUrl).toBe("postgresql://portal:secret@db.internal:5432/portal");
  });

  it("requires an https ISSUER_URL in production, but on a loopback address", () => {
    const production = { ...secrets, PORTAL_ENV: "production", SMTP_URL: "smtp://mail.internal" };
    expect(() => parseConfig({ ...production, ISSUER_URL: "http://id.example.com" })).toThrow(/ISSUER_URL: must be https/);
    expect(parseConfig({ ...production, ISSUER_URL: "http://127.0.0.1:3000" }).issuer).toBe("http://127.0.0.1:3000");
    expect(parseConfig({ ...production }).issuer).toBe("http://localhost:3000");
  });

  it("requires the secrets in production", () => {
    expect(() => parseConfig({ PORTAL_ENV: "production", SERVER_SECRET: secrets.SERVER_SECRET, SMTP_URL: "smtp://mail.internal" })).toThrow(
      /SESSION_SECRET: required/,
    );
  });

  it("refuses production without SMTP while a feature that sends mail is on, and sends development's mail to the outbox", () => {
    const production = { ...secrets, PORTAL_ENV: "production" };
    expect(() => parseConfig(production)).toThrow(/SMTP_URL: required/);
    expect(() => parseConfig({ ...production, SIGN_UP: "off" })).toThrow(/SMTP_URL: required/);
    expect(parseConfig({ ...production, SIGN_UP: "off", PASSWORD_RESET: "off" }).mail.available).toBe(false);
    expect(parseConfig({ ...production, SMTP_URL: "smtps://user:pw@mail.example.com" }).mail).toMatchObject({
      available: true,
      smtpUrl: "smtps://user:pw@mail.example.com",
    });
    expect(parseConfig({ ...secrets }).mail).toEqual({
      available: true,
      smtpUrl: undefined,
      from: '"Identity Portal" <no-reply@localhost>',
    });
    expect(() => parseConfig({ ...secrets, SMTP_URL: "mail.example.com" })).toThrow(/SMTP_URL: must be smtp/);
  });

  it("generates a development secret once and keeps it in the data directory", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "portal-config-"));
    const first = parseConfig({ DATA_DIR: dataDir });
    const file = path.join(dataDir, "session-secret.txt");
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8").trim()).toBe(first.sessionSecret);
    expect(parseConfig({ DATA_DIR: dataDir }).sessionSecret).toBe(first.sessionSecret);
    expect(first.sessionSecret).not.toBe(first.serverSecret);
  });
});
