/**
 * A small MCP server that uses the portal as its authorization server, as the
 * MCP authorization specification describes: it serves its protected resource
 * metadata (RFC 9728) naming the portal, answers 401 with a pointer to that
 * metadata, and accepts only the portal's access tokens issued for it (its own
 * URL as `aud`), verified with jose.
 *
 *   ISSUER_URL=http://localhost:3000 PORT=4100 node examples/mcp/server.mjs
 *
 * Register it first as an API whose identifier is its URL (here
 * http://127.0.0.1:4100/mcp), with the scope "tools".
 */
import { createServer } from "node:http";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

const issuer = process.env.ISSUER_URL ?? "http://localhost:3000";
const port = Number(process.env.PORT ?? 4100);
const origin = `http://127.0.0.1:${port}`;
const resource = `${origin}/mcp`;
const metadataUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;
const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));

/** RFC 9728: where the token comes from, and what to ask for. */
const protectedResourceMetadata = {
  resource,
  authorization_servers: [issuer],
  scopes_supported: ["tools"],
  bearer_methods_supported: ["header"],
};

function unauthorized(response, error) {
  const challenge = [`resource_metadata="${metadataUrl}"`, ...(error ? [`error="${error}"`] : [])].join(", ");
  response
    .writeHead(401, { "WWW-Authenticate": `Bearer ${challenge}`, "Content-Type": "application/json" })
    .end(JSON.stringify({ error: error ?? "unauthorized" }));
}

async function verified(request) {
  const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? "");
  if (!match) return null;
  try {
    const { payload } = await jwtVerify(match[1], jwks, { issuer, audience: resource, typ: "at+jwt" });
    return payload;
  } catch {
    return undefined;
  }
}

/** One MCP server per request (stateless): a tool that says whom it serves. */
function mcpServer(claims) {
  const server = new McpServer({ name: "portal-example", version: "1.0.0" });
  server.registerTool(
    "whoami",
    { description: "Who the token is for", inputSchema: { greeting: z.string().optional() } },
    async ({ greeting }) => ({
      content: [{ type: "text", text: `${greeting ?? "Hello"}, ${claims.sub} (app ${claims.client_id})` }],
    }),
  );
  return server;
}

const httpServer = createServer(async (request, response) => {
  const path = new URL(request.url ?? "/", origin).pathname;
  if (path === "/.well-known/oauth-protected-resource/mcp" || path === "/.well-known/oauth-protected-resource") {
    return response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(protectedResourceMetadata));
  }
  if (path !== "/mcp") return response.writeHead(404).end();
  const claims = await verified(request);
  if (claims === null) return unauthorized(response);
  if (claims === undefined) return unauthorized(response, "invalid_token");
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  const server = mcpServer(claims);
  response.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(request, response, body);
});

httpServer.listen(port, "127.0.0.1", () => console.log(`Example MCP server on ${resource}, trusting ${issuer}`));
