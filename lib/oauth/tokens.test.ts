import { createHmac, createPublicKey, sign } from "node:crypto";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getConfig } from "@/lib/config";
import { activeSigningKey, createSigningKey, forgetCachedKeys, publicJwks, retireSigningKey } from "./keys";
import { rememberRevocations } from "./revocations";
import { accessTokenHash, accessTokenToRevoke, issueAccessToken, issueIdToken, verifyAccessToken } from "./tokens";
import { ensureClient } from "@/tests/support/unit-fixtures";
import { forgetCachedClient } from "./store/clients";

const audience = () => `${getConfig().issuer}/api/v1`;
const userToken = () =>
  issueAccessToken({
    subject: "user-1",
    clientId: "app",
    scopes: ["openid", "email"],
    audience: audience(),
    authTime: 1700000000,
    grantId: "grant-1",
    familyId: "family-1",
  });

beforeAll(async () => {
  await ensureClient("app");
});

describe("access tokens", () => {
  it("are RFC 9068 JWTs with every required claim, verified back to the same claims", async () => {
    const issued = await userToken();
    expect(decodeProtectedHeader(issued.token)).toMatchObject({ typ: "at+jwt", alg: "ES256", kid: expect.any(String) });
    const payload = decodeJwt(issued.token);
    expect(payload).toMatchObject({
      iss: getConfig().issuer,
      sub: "user-1",
      aud: audience(),
      client_id: "app",
      scope: "openid email",
      auth_time: 1700000000,
      jti: issued.jti,
    });
    expect(payload.exp! - payload.iat!).toBe(getConfig().ttl.accessToken);
    expect(await verifyAccessToken(issued.token, { audience: audience() })).toMatchObject({
      sub: "user-1",
      scopes: ["openid", "email"],
      hasUser: true,
      grantId: "grant-1",
      familyId: "family-1",
    });
  });

  it("have time-ordered ids (UUID version 7), so revoking them appends to the revocations' index", async () => {
    const first = await userToken();
    const second = await userToken();
    expect(first.jti).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.jti.slice(0, 13) >= first.jti.slice(0, 13)).toBe(true);
  });

  it("are refused for another audience, when tampered with, or as an ID token", async () => {
    const issued = await userToken();
    expect(await verifyAccessToken(issued.token, { audience: "https://other.example" })).toBeNull();
    const [header, payload, signature] = issued.token.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ ...decodeJwt(issued.token), scope: "admin" })).toString("base64url");
    expect(await verifyAccessToken(`${header}.${forgedPayload}.${signature}`)).toBeNull();
    expect(await verifyAccessToken(`${header}.${payload}.`)).toBeNull();
    const idToken = await issueIdToken({ userId: "user-1", clientId: "app", authTime: 1700000000, accessToken: issued, claims: {} });
    expect(await verifyAccessToken(idToken)).toBeNull();
  });

  it("are refused once their id, family or grant is revoked", async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    for (const key of ["jti", "family", "grant"] as const) {
      const issued = await issueAccessToken({
        subject: "u",
        clientId: "app",
        scopes: [],
        audience: audience(),
        grantId: `g-${key}`,
        familyId: `f-${key}`,
      });
      expect(await verifyAccessToken(issued.token)).not.toBeNull();
      const id = key === "jti" ? issued.jti : key === "family" ? `f-${key}` : `g-${key}`;
      await rememberRevocations([{ key: `${key}:${id}`, clientId: "app", expiresAt }]);
      expect(await verifyAccessToken(issued.token)).toBeNull();
    }
  });

  it.each(["RS256", "ES256", "EdDSA"] as const)(
    "can be signed with %s, on the thread pool or the event loop, verifiable with jose and the published JWKS",
    async (alg) => {
      const config = getConfig();
      const configured = config.accessTokenSigningAlg;
      config.accessTokenSigningAlg = alg;
      try {
        // Signed on the thread pool, and on the event loop (as when an ID token follows).
        for (const issued of [
          await userToken(),
          await issueAccessToken({ subject: "user-1", clientId: "app", scopes: [], audience: audience() }, { onEventLoop: true }),
        ]) {
          expect(decodeProtectedHeader(issued.token)).toMatchObject({ alg, typ: "at+jwt" });
          expect(await verifyAccessToken(issued.token)).not.toBeNull();
          const { payload } = await jwtVerify(issued.token, createLocalJWKSet((await publicJwks()) as JSONWebKeySet), {
            issuer: config.issuer,
            audience: audience(),
            typ: "at+jwt",
            algorithms: [alg],
          });
          expect(payload).toMatchObject({ sub: "user-1", jti: issued.jti });
        }
      } finally {
        config.accessTokenSigningAlg = configured;
      }
    },
  );

  it("are checked again on every use for what can change, though their signature is checked once", async () => {
    const issued = await userToken();
    expect(await verifyAccessToken(issued.token, { audience: audience() })).not.toBeNull();
    // The same text with another audience asked for, or after its expiry, or once its key is retired.
    expect(await verifyAccessToken(issued.token, { audience: "https://other.example" })).toBeNull();
    const now = Date.now();
    vi.spyOn(Date, "now").mockReturnValue(issued.expiresAt.getTime());
    expect(await verifyAccessToken(issued.token)).toBeNull();
    vi.spyOn(Date, "now").mockReturnValue(now);
    expect(await verifyAccessToken(issued.token)).not.toBeNull();
    await retireSigningKey(decodeProtectedHeader(issued.token).kid!);
    expect(await verifyAccessToken(issued.token)).toBeNull();
    vi.restoreAllMocks();
  });

  it("are signed by a new key only once it was published for SIGNING_KEY_PUBLISH_AHEAD, while tokens of the old one still verify", async () => {
    const before = await userToken();
    const { kid, signsFrom } = await createSigningKey(getConfig().accessTokenSigningAlg);
    // Published at once, signing later: every instance lists it before any token it signs exists.
    expect((await publicJwks()).keys.map((key) => key.kid)).toContain(kid);
    expect(decodeProtectedHeader((await userToken()).token).kid).toBe(decodeProtectedHeader(before.token).kid);
    vi.useFakeTimers({ toFake: ["Date"], now: signsFrom.getTime() + 1000 });
    forgetCachedKeys();
    const after = await userToken();
    vi.useRealTimers();
    expect(decodeProtectedHeader(after.token).kid).toBe(kid);
    expect(decodeProtectedHeader(after.token).kid).not.toBe(decodeProtectedHeader(before.token).kid);
    expect(await verifyAccessToken(after.token)).not.toBeNull();
    expect(await verifyAccessToken(before.token)).not.toBeNull();
    const kids = (await publicJwks()).keys.map((key) => key.kid);
    expect(kids).toContain(decodeProtectedHeader(before.token).kid);
    expect(kids).toContain(decodeProtectedHeader(after.token).kid);
  });
});

describe("access tokens presented for revocation", () => {
  const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const withHeader = (token: string, change: (header: Record<string, unknown>) => Record<string, unknown>) => {
    const [header, payload, signature] = token.split(".");
    return `${segment(change(JSON.parse(Buffer.from(header!, "base64url").toString())))}.${payload}.${signature}`;
  };

  it("are known by the issuer MAC in their header, which ID tokens do not carry", async () => {
    const issued = await userToken();
    expect(decodeProtectedHeader(issued.token).pmac).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await accessTokenToRevoke(issued.token)).toMatchObject({
      jti: issued.jti,
      clientId: "app",
      sub: "user-1",
      grantId: "grant-1",
      familyId: "family-1",
      hasUser: true,
    });
    const idToken = await issueIdToken({ userId: "user-1", clientId: "app", authTime: 1700000000, accessToken: issued, claims: {} });
    expect(decodeProtectedHeader(idToken)).not.toHaveProperty("pmac");
    expect(await accessTokenToRevoke(idToken)).toBeNull();
  });

  it("are refused when a claim or the key id was changed or the MAC made up", async () => {
    const issued = await userToken();
    const [header, , signature] = issued.token.split(".");
    for (const change of [{ client_id: "other-app" }, { jti: "someone-elses" }, { exp: Math.floor(Date.now() / 1000) + 10 ** 6 }]) {
      expect(await accessTokenToRevoke(`${header}.${segment({ ...decodeJwt(issued.token), ...change })}.${signature}`)).toBeNull();
    }
    const otherKid = (await activeSigningKey("RS256")).kid;
    expect(await accessTokenToRevoke(withHeader(issued.token, (fields) => ({ ...fields, kid: otherKid })))).toBeNull();
    const madeUp = `${segment({ alg: "ES256", typ: "at+jwt", kid: decodeProtectedHeader(issued.token).kid, pmac: "A".repeat(22) })}.${segment({ ...decodeJwt(issued.token), jti: "made-up" })}.`;
    expect(await accessTokenToRevoke(madeUp)).toBeNull();
  });

  it("without the MAC (another SERVER_SECRET's) are checked by signature instead", async () => {
    const issued = await userToken();
    const withoutMac = withHeader(issued.token, ({ pmac: _dropped, ...fields }) => fields);
    // The header changed, so the signature no longer matches: refused.
    expect(await accessTokenToRevoke(withoutMac)).toBeNull();
    const key = await activeSigningKey(getConfig().accessTokenSigningAlg);
    const input = `${segment({ alg: key.alg, typ: "at+jwt", kid: key.kid, pmac: "B".repeat(22) })}.${issued.token.split(".")[1]}`;
    const signedElsewhere = `${input}.${sign("sha256", Buffer.from(input), { key: key.privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
    expect(await accessTokenToRevoke(signedElsewhere)).toMatchObject({ jti: issued.jti });
  });

  it("are refused once expired, revoked, or their key retired", async () => {
    const expired = await userToken();
    vi.spyOn(Date, "now").mockReturnValue(expired.expiresAt.getTime());
    expect(await accessTokenToRevoke(expired.token)).toBeNull();
    vi.restoreAllMocks();
    const revoked = await userToken();
    await rememberRevocations([{ key: `jti:${revoked.jti}`, clientId: "app", expiresAt: revoked.expiresAt }]);
    expect(await accessTokenToRevoke(revoked.token)).toBeNull();
    const retired = await userToken();
    expect(await accessTokenToRevoke(retired.token)).not.toBeNull();
    await retireSigningKey(decodeProtectedHeader(retired.token).kid!);
    expect(await accessTokenToRevoke(retired.token)).toBeNull();
  });
});

describe("ID tokens", () => {
  it("carry the OpenID Connect claims, the nonce only when sent, and at_hash", async () => {
    const access = await userToken();
    const withNonce = decodeJwt(
      await issueIdToken({
        userId: "user-1",
        clientId: "app",
        authTime: 1700000000,
        nonce: "n-1",
        accessToken: access,
        claims: { email: "a@b.example" },
      }),
    );
    expect(withNonce).toMatchObject({
      iss: getConfig().issuer,
      sub: "user-1",
      aud: "app",
      auth_time: 1700000000,
      nonce: "n-1",
      email: "a@b.example",
      at_hash: accessTokenHash(access.token, getConfig().signingAlg),
    });
    const withoutNonce = decodeJwt(
      await issueIdToken({ userId: "user-1", clientId: "app", authTime: 1700000000, accessToken: access, claims: {} }),
    );
    expect(withoutNonce).not.toHaveProperty("nonce");
  });

  it("computes at_hash as the left half of the SHA-256 of the token (OpenID Connect Core §3.1.3.6)", () => {
    // Example from OpenID Connect Core A.3/A.4.
    expect(accessTokenHash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "RS256")).toBe("77QmUPtjPfzWtF2AnpK9RQ");
  });
});

describe("a disabled app", () => {
  it("loses its access tokens", async () => {
    await ensureClient("soon-disabled");
    const issued = await issueAccessToken({ subject: "soon-disabled", clientId: "soon-disabled", scopes: [], audience: audience() });
    expect(await verifyAccessToken(issued.token)).not.toBeNull();
    await ensureClient("soon-disabled", { disabledAt: new Date() });
    forgetCachedClient("soon-disabled");
    expect(await verifyAccessToken(issued.token)).toBeNull();
  });
});

describe("access-token verification, held to jose's verdicts", () => {
  const base64url = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

  /** A token with any header and claims, signed by the portal's own key of `alg` (or by `signWith`). */
  async function forge(
    header: Record<string, unknown>,
    claims: Record<string, unknown>,
    options: { alg?: "RS256" | "ES256" | "EdDSA"; signWith?: (input: Buffer) => Buffer } = {},
  ) {
    const key = await activeSigningKey(options.alg ?? getConfig().accessTokenSigningAlg);
    const input = `${base64url({ alg: key.alg, kid: key.kid, typ: "at+jwt", ...header })}.${base64url(claims)}`;
    const data = Buffer.from(input);
    const signature = options.signWith
      ? options.signWith(data)
      : key.alg === "ES256"
        ? sign("sha256", data, { key: key.privateKey, dsaEncoding: "ieee-p1363" })
        : sign(key.alg === "EdDSA" ? null : "sha256", data, key.privateKey);
    return `${input}.${signature.toString("base64url")}`;
  }

  async function joseAccepts(token: string) {
    const jwks = createLocalJWKSet((await publicJwks()) as JSONWebKeySet);
    try {
      await jwtVerify(token, jwks, {
        issuer: getConfig().issuer,
        typ: "at+jwt",
        algorithms: ["RS256", "ES256", "EdDSA"],
        requiredClaims: ["sub", "exp", "iat", "jti", "client_id"],
      });
      return true;
    } catch {
      return false;
    }
  }

  it("accepts and refuses exactly what jose does", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: getConfig().issuer,
      sub: "user-1",
      aud: audience(),
      client_id: "app",
      scope: "openid",
      jti: "j-1",
      iat: now,
      exp: now + 600,
    };
    const rsaKey = await activeSigningKey("RS256");
    const publicPem = createPublicKey(rsaKey.privateKey).export({ type: "spki", format: "pem" });
    const cases: Array<[string, Promise<string> | string]> = [
      ["a well-formed token", forge({}, claims)],
      ["one signed with the RS256 key", forge({}, claims, { alg: "RS256" })],
      ["one signed with the EdDSA key", forge({}, claims, { alg: "EdDSA" })],
      ["typ application/at+jwt", forge({ typ: "application/at+jwt" }, claims)],
      ["typ JWT (an ID token)", forge({ typ: "JWT" }, claims)],
      ["no typ", forge({ typ: undefined }, claims)],
      ["alg none", `${base64url({ alg: "none", typ: "at+jwt" })}.${base64url(claims)}.`],
      [
        "HS256 keyed with the RSA public key",
        forge({ alg: "HS256", kid: rsaKey.kid }, claims, { signWith: (data) => createHmac("sha256", publicPem).update(data).digest() }),
      ],
      ["the ES256 key's kid with alg RS256", forge({ alg: "RS256" }, claims, { alg: "ES256" })],
      ["an unknown kid", forge({ kid: "no-such-key" }, claims)],
      ["a crit header", forge({ crit: ["exp"] }, claims)],
      ["another issuer", forge({}, { ...claims, iss: "https://evil.example" })],
      ["no jti", forge({}, { ...claims, jti: undefined })],
      ["no client_id", forge({}, { ...claims, client_id: undefined })],
      ["exp as text", forge({}, { ...claims, exp: String(now + 600) })],
      ["nbf in the future", forge({}, { ...claims, nbf: now + 600 })],
      ["nbf in the past", forge({}, { ...claims, nbf: now - 600 })],
      ["a payload that is an array", forge({}, [claims] as unknown as Record<string, unknown>)],
      ["a truncated signature", forge({}, claims).then((token) => token.slice(0, -4))],
      ["a fourth segment", forge({}, claims).then((token) => `${token}.e30`)],
      [
        "a changed claim",
        forge({}, claims).then((token) => {
          const [h, , s] = token.split(".");
          return `${h}.${base64url({ ...claims, scope: "admin" })}.${s}`;
        }),
      ],
    ];
    const accepted: string[] = [];
    for (const [name, pending] of cases) {
      const token = await pending;
      const ours = (await verifyAccessToken(token)) !== null;
      expect(ours, name).toBe(await joseAccepts(token));
      if (ours) accepted.push(name);
    }
    expect(accepted).toEqual([
      "a well-formed token",
      "one signed with the RS256 key",
      "one signed with the EdDSA key",
      "typ application/at+jwt",
      "nbf in the past",
    ]);
  });
});
