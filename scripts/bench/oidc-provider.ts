/**
 * node-oidc-provider, configured like the portal for `npm run bench`: the
 * same kinds of clients, PKCE, refresh-token rotation, introspection and
 * revocation, RS256, an in-memory store and opaque tokens. Started as its own
 * process (so its CPU and memory are measured apart) on PORT, with the clients
 * in BENCH_CLIENTS (JSON). POST /bench/codes mints authorization codes for the
 * bench, as the portal's bench writes them through its store.
 */
import { createServer } from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type ClientMetadata } from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.BENCH_CLIENTS ?? "[]") as ClientMetadata[];
const { privateKey } = await generateKeyPair("RS256", { extractable: true });

/**
 * oidc-provider's own development adapter keeps only the last 1,000 entries
 * (an LRU), so a bench run loses its codes and tokens midway: this one is the
 * same in-memory store without the bound (adapter interface of oidc-provider).
 */
class MemoryAdapter {
  private static readonly entries = new Map<string, Record<string, unknown>>();
  private static readonly grants = new Map<string, Set<string>>();

  constructor(private readonly model: string) {}

  private key(id: string) {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: Record<string, unknown>) {
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

const provider = new Provider(issuer, {
  adapter: MemoryAdapter,
  clients,
  jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "bench", alg: "RS256", use: "sig" }] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
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

/** Codes for one client and person, with one PKCE challenge, as a consented authorization would leave them. */
async function mintCodes(input: { clientId: string; redirectUri: string; codeChallenge: string; count: number }): Promise<string[]> {
  const client = await provider.Client.find(input.clientId);
  if (!client) throw new Error(`unknown client ${input.clientId}`);
  const grant = new provider.Grant({ accountId: "bench-person", clientId: input.clientId });
  grant.addOIDCScope("openid profile offline_access");
  const grantId = await grant.save();
  const codes: string[] = [];
  for (let index = 0; index < input.count; index += 1) {
    const code = new provider.AuthorizationCode({
      accountId: "bench-person",
      client,
      grantId,
      scope: "openid profile offline_access",
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
}).listen(port, "127.0.0.1", () => console.log(`oidc-provider ready at ${issuer}`));
