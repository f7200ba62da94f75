/**
 * node-oidc-provider for `npm run bench`, started as its own process (so its
 * CPU and memory are measured apart) on PORT, with the clients in
 * BENCH_CLIENTS (JSON). Two configurations, chosen by BENCH_BASELINE:
 *
 * - `memory`: opaque tokens in an in-memory store, the development setup its
 *   documentation warns against deploying;
 * - `durable`: as a production deployment runs it, with the portal's own
 *   guarantees: a durable store on the portal's kind of database
 *   (BENCH_BASELINE_DATABASE: a SQLite file in WAL mode with
 *   synchronous=FULL, every commit on disk before the answer, or a PostgreSQL
 *   URL), one table keyed by model and id and indexed by grant id, uid and
 *   user code; JWT access tokens (ES256) for an API that is every grant's
 *   default resource, RS256 ID tokens. It cannot introspect or revoke JWT
 *   access tokens, so the bench measures those two on an opaque token of a
 *   second resource.
 *
 * Both rotate refresh tokens and require PKCE, like the portal. POST
 * /bench/codes mints authorization codes for the bench, as the portal's bench
 * writes them through its store.
 */
import { createServer } from "node:http";
import Database from "better-sqlite3";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type Adapter, type AdapterPayload, type ClientMetadata, errors } from "oidc-provider";
import pg from "pg";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.BENCH_CLIENTS ?? "[]") as ClientMetadata[];
const durable = process.env.BENCH_BASELINE === "durable";
/** The API every grant is for (JWT access tokens), and a second one whose tokens are opaque. */
export const JWT_API = "https://api.bench.example";
export const OPAQUE_API = "https://opaque.bench.example";
const API_SCOPE = "api:read";

/**
 * oidc-provider's own development adapter keeps only the last 1,000 entries
 * (an LRU), so a bench run loses its codes and tokens midway: this one is the
 * same in-memory store without the bound (adapter interface of oidc-provider).
 */
class MemoryAdapter implements Adapter {
  private static readonly entries = new Map<string, AdapterPayload>();
  private static readonly grants = new Map<string, Set<string>>();

  constructor(private readonly model: string) {}

  private key(id: string) {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload) {
    MemoryAdapter.entries.set(this.key(id), payload);
    if (typeof payload.grantId === "string") {
      const keys = MemoryAdapter.grants.get(payload.grantId) ?? new Set<string>();
      keys.add(this.key(id));
      MemoryAdapter.grants.set(payload.grantId, keys);
    }
  }

  async find(id: string) {
    return MemoryAdapter.entries.get(this.key(id));
  }

  async findByUid(uid: string) {
    for (const [key, payload] of MemoryAdapter.entries) if (key.startsWith(`${this.model}:`) && payload.uid === uid) return payload;
    return undefined;
  }

  async findByUserCode(userCode: string) {
    for (const [key, payload] of MemoryAdapter.entries)
      if (key.startsWith(`${this.model}:`) && payload.userCode === userCode) return payload;
    return undefined;
  }

  async consume(id: string) {
    const payload = MemoryAdapter.entries.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string) {
    MemoryAdapter.entries.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string) {
    for (const key of MemoryAdapter.grants.get(grantId) ?? []) MemoryAdapter.entries.delete(key);
    MemoryAdapter.grants.delete(grantId);
  }
}

/** One row per model and id, as the community SQL adapters store them. */
const TABLE = `CREATE TABLE IF NOT EXISTS oidc_payload (
  model TEXT NOT NULL, id TEXT NOT NULL, payload TEXT NOT NULL,
  grant_id TEXT, uid TEXT, user_code TEXT, expires_at BIGINT, consumed_at BIGINT,
  PRIMARY KEY (model, id))`;
const INDEXES = ["grant_id", "uid", "user_code"].map(
  (column) => `CREATE INDEX IF NOT EXISTS oidc_payload_${column} ON oidc_payload (${column})`,
);

type Row = { payload: string; consumed_at: number | string | null };
/** The statements of the durable store, with `?` for SQLite's parameters or `$n` for PostgreSQL's. */
type Store = { all: (text: string, values: unknown[]) => Promise<Row[]>; run: (text: string, values: unknown[]) => Promise<void> };

async function openStore(location: string): Promise<Store> {
  if (/^postgres(ql)?:/.test(location)) {
    const pool = new pg.Pool({ connectionString: location, max: 10 });
    await pool.query(TABLE);
    for (const index of INDEXES) await pool.query(index);
    const numbered = (text: string) => {
      let n = 0;
      return text.replace(/\?/g, () => `$${++n}`);
    };
    return {
      all: async (text, values) => (await pool.query<Row>(numbered(text), values)).rows,
      run: async (text, values) => void (await pool.query(numbered(text), values)),
    };
  }
  const database = new Database(location);
  database.pragma("journal_mode = WAL");
  // Every commit on disk before the answer, as the portal's commits are.
  database.pragma("synchronous = FULL");
  database.exec(TABLE);
  for (const index of INDEXES) database.exec(index);
  const statements = new Map<string, Database.Statement>();
  const prepared = (text: string) => statements.get(text) ?? statements.set(text, database.prepare(text)).get(text)!;
  return {
    all: async (text, values) => prepared(text).all(...values) as Row[],
    run: async (text, values) => void prepared(text).run(...values),
  };
}

function durableAdapter(store: Store) {
  const now = () => Math.floor(Date.now() / 1000);
  const payloadOf = (rows: Row[]): AdapterPayload | undefined => {
    const row = rows[0];
    if (!row) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    return row.consumed_at === null ? payload : { ...payload, consumed: Number(row.consumed_at) };
  };
  return class DurableAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      await store.run(
        `INSERT INTO oidc_payload (model, id, payload, grant_id, uid, user_code, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id, uid = excluded.uid,
           user_code = excluded.user_code, expires_at = excluded.expires_at`,
        [
          this.model,
          id,
          JSON.stringify(payload),
          payload.grantId ?? null,
          payload.uid ?? null,
          payload.userCode ?? null,
          expiresIn ? now() + expiresIn : null,
        ],
      );
    }

    async find(id: string) {
      const found = "SELECT payload, consumed_at FROM oidc_payload WHERE model = ? AND id = ? AND (expires_at IS NULL OR expires_at > ?)";
      return payloadOf(await store.all(found, [this.model, id, now()]));
    }

    async findByUid(uid: string) {
      const found = "SELECT payload, consumed_at FROM oidc_payload WHERE model = ? AND uid = ? AND (expires_at IS NULL OR expires_at > ?)";
      return payloadOf(await store.all(found, [this.model, uid, now()]));
    }

    async findByUserCode(userCode: string) {
      const found =
        "SELECT payload, consumed_at FROM oidc_payload WHERE model = ? AND user_code = ? AND (expires_at IS NULL OR expires_at > ?)";
      return payloadOf(await store.all(found, [this.model, userCode, now()]));
    }

    async consume(id: string) {
      await store.run("UPDATE oidc_payload SET consumed_at = ? WHERE model = ? AND id = ?", [now(), this.model, id]);
    }

    async destroy(id: string) {
      await store.run("DELETE FROM oidc_payload WHERE model = ? AND id = ?", [this.model, id]);
    }

    async revokeByGrantId(grantId: string) {
      await store.run("DELETE FROM oidc_payload WHERE grant_id = ?", [grantId]);
    }
  };
}

const rsa = await generateKeyPair("RS256", { extractable: true });
const ec = await generateKeyPair("ES256", { extractable: true });
const location = process.env.BENCH_BASELINE_DATABASE;
if (durable && !location) throw new Error("BENCH_BASELINE_DATABASE: the durable baseline needs a SQLite file or a PostgreSQL URL");

const provider = new Provider(issuer, {
  adapter: durable ? durableAdapter(await openStore(location!)) : MemoryAdapter,
  clients,
  jwks: {
    keys: [
      { ...(await exportJWK(rsa.privateKey)), kid: "rs256", alg: "RS256", use: "sig" },
      ...(durable ? [{ ...(await exportJWK(ec.privateKey)), kid: "es256", alg: "ES256", use: "sig" }] : []),
    ],
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: durable
      ? {
          enabled: true,
          // Every grant is for the API unless it names the other.
          defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string | string[]) => oneOf ?? JWT_API,
          useGrantedResource: async () => true,
          getResourceServerInfo: async (_ctx: unknown, resource: string) => {
            if (resource === JWT_API) return { scope: API_SCOPE, accessTokenFormat: "jwt", jwt: { sign: { alg: "ES256" } } };
            if (resource === OPAQUE_API) return { scope: API_SCOPE, accessTokenFormat: "opaque" };
            throw new errors.InvalidTarget();
          },
        }
      : { enabled: false },
  },
  pkce: { required: () => true },
  // The portal rotates on every use (RFC 9700 §4.14.2).
  rotateRefreshToken: true,
  scopes: ["openid", "profile", "offline_access"],
  findAccount: (_ctx: unknown, accountId: string) => ({ accountId, claims: () => ({ sub: accountId, name: "Bench Person" }) }),
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 600,
    ClientCredentials: 3600,
    RefreshToken: 30 * 24 * 3600,
    Grant: 30 * 24 * 3600,
    IdToken: 3600,
  },
  cookies: { keys: ["bench-cookie-key-0123456789abcdef"] },
});

const handle = provider.callback();

/**
 * Codes for one client and person, with one PKCE challenge, as a consented
 * authorization would leave them; `forApi` (durable baseline): for the API,
 * so their tokens are JWTs; otherwise for userinfo.
 */
async function mintCodes(input: {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  count: number;
  forApi?: boolean;
}): Promise<string[]> {
  const client = await provider.Client.find(input.clientId);
  if (!client) throw new Error(`unknown client ${input.clientId}`);
  const forApi = durable && input.forApi !== false;
  const grant = new provider.Grant({ accountId: "bench-person", clientId: input.clientId });
  grant.addOIDCScope("openid profile offline_access");
  if (forApi) grant.addResourceScope(JWT_API, API_SCOPE);
  const grantId = await grant.save();
  const codes: string[] = [];
  for (let index = 0; index < input.count; index += 1) {
    const code = new provider.AuthorizationCode({
      accountId: "bench-person",
      client,
      grantId,
      scope: forApi ? `openid profile offline_access ${API_SCOPE}` : "openid profile offline_access",
      ...(forApi ? { resource: JWT_API } : {}),
      redirectUri: input.redirectUri,
      codeChallenge: input.codeChallenge,
      codeChallengeMethod: "S256",
      authTime: Math.floor(Date.now() / 1000),
      expiresWithSession: false,
    });
    codes.push(await code.save());
  }
  return codes;
}

createServer((request, response) => {
  if (request.method === "POST" && request.url === "/bench/codes") {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      mintCodes(JSON.parse(body) as Parameters<typeof mintCodes>[0]).then(
        (codes) => response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(codes)),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
    });
    return;
  }
  void handle(request, response);
}).listen(port, "127.0.0.1", () => console.log(`oidc-provider (${durable ? "durable" : "in-memory"}) ready at ${issuer}`));
