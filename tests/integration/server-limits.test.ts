/** Limits the server puts on every request: body sizes and slow clients (issue: hardening). */
import { describe, expect, it } from "vitest";
import { baseUrl } from "../support/http-client";
import { openSocket, rawRequest, readUntilClosed } from "../support/raw-http";

const host = () => new URL(baseUrl()).host;
const LIMIT = 64 * 1024;
const oversized = Buffer.alloc(LIMIT + 1024, "a");

describe("request bodies over 64 KiB", () => {
  it.each(["/oauth/token", "/oauth/revoke", "/oauth/introspect", "/oauth/userinfo"])(
    "%s answers 413 with a JSON OAuth error, then closes",
    async (path) => {
      const answer = await rawRequest(
        `POST ${path} HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${oversized.length}\r\n\r\n`,
        oversized,
      );
      expect(answer.status).toBe(413);
      expect(answer.headers["content-type"]).toBe("application/json");
      // Closed by the server once the body is in, not left open.
      expect(answer.closedAfterMs).toBeLessThan(5_000);
      expect(JSON.parse(answer.body)).toMatchObject({ error: "invalid_request" });
    },
  );

  it("a streamed (chunked) body to the token endpoint is cut at the limit with the same 413", async () => {
    const chunk = Buffer.alloc(16 * 1024, "a");
    const socket = await openSocket();
    const answer = readUntilClosed(socket);
    socket.write(
      `POST /oauth/token HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`,
    );
    for (let i = 0; i < 6; i++) socket.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]));
    socket.write("0\r\n\r\n");
    const result = await answer;
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ error: "invalid_request" });
  });

  it("a body under the limit is read as usual", async () => {
    const form = `grant_type=client_credentials&padding=${"a".repeat(LIMIT - 2048)}`;
    const response = await fetch(`${baseUrl()}/oauth/token`, {
      method: "POST",
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });

  it("a form post answers 413 before any handler reads it", async () => {
    const answer = await rawRequest(
      `POST /auth/sign-in HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${oversized.length}\r\n\r\n`,
      oversized,
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toContain("larger than 64 KiB");
  });

  it("a server action answers 413 too", async () => {
    const answer = await rawRequest(
      `POST /dashboard/apps/new HTTP/1.1\r\nHost: ${host()}\r\nNext-Action: 0000000000000000000000000000000000000000\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: ${oversized.length}\r\n\r\n`,
      oversized,
    );
    expect(answer.status).toBe(413);
  });

  it("a form post of unknown length gets 411", async () => {
    const answer = await rawRequest(
      `POST /auth/sign-in HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`,
      "5\r\nemail\r\n0\r\n\r\n",
    );
    expect(answer.status).toBe(411);
  });
});

describe("slow clients", () => {
  // The test server runs with HTTP_HEADERS_TIMEOUT=2 and HTTP_REQUEST_TIMEOUT=4 (tests/support/test-server.ts).
  it("a client sending its headers a byte at a time is cut off after the headers timeout", async () => {
    const socket = await openSocket();
    const answer = readUntilClosed(socket, 12_000);
    const head = `GET /api/health HTTP/1.1\r\nHost: ${host()}\r\nX-Slow: ${"a".repeat(40)}`;
    let sent = 0;
    const drip = setInterval(() => {
      if (socket.destroyed || sent >= head.length) return clearInterval(drip);
      socket.write(head[sent++]!);
    }, 250);
    const result = await answer;
    clearInterval(drip);
    expect(result.closedAfterMs).toBeLessThan(5_000);
    expect(sent).toBeLessThan(head.length);
  });

  it("a client sending its body a byte at a time is cut off after the request timeout", async () => {
    const socket = await openSocket();
    const answer = readUntilClosed(socket, 12_000);
    socket.write(
      `POST /oauth/token HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n`,
    );
    let sent = 0;
    const drip = setInterval(() => {
      if (socket.destroyed || sent >= 1000) return clearInterval(drip);
      socket.write("a");
      sent += 1;
    }, 250);
    const result = await answer;
    clearInterval(drip);
    expect(result.closedAfterMs).toBeLessThan(7_000);
    expect(sent).toBeLessThan(40);
  });
});
