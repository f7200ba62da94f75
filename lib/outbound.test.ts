import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPublicAddress, OutboundRefused, outboundRequest } from "./outbound";

describe("isPublicAddress", () => {
  it("refuses private, loopback, link-local and reserved addresses, IPv4-mapped ones too", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"]) expect(isPublicAddress(address), address).toBe(true);
  });
});

describe("outboundRequest", () => {
  let server: Server;
  let url = "";
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === "/redirect") return response.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
      if (request.url === "/large") return response.writeHead(200).end("x".repeat(100 * 1024));
      if (request.url === "/slow") return setTimeout(() => response.writeHead(200).end("late"), 2000);
      if (request.url === "/trickle") {
        // A byte every 50 ms for two seconds: never idle long enough for an idle timeout.
        response.writeHead(200);
        const timer = setInterval(() => response.write("x"), 50);
        return setTimeout(() => {
          clearInterval(timer);
          response.end();
        }, 2000);
      }
      response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it("answers with the body, and never follows a redirect", async () => {
    const ok = await outboundRequest(`${url}/`, { method: "GET", timeoutMs: 1000 }, { allowInternal: true });
    expect(await ok.json()).toEqual({ ok: true });
    expect((await outboundRequest(`${url}/redirect`, { method: "GET", timeoutMs: 1000 }, { allowInternal: true })).status).toBe(302);
  });

  it("refuses internal addresses outside development, by literal or by name", async () => {
    await expect(outboundRequest(`${url}/`, { method: "GET", timeoutMs: 1000 }, { allowInternal: false })).rejects.toBeInstanceOf(
      OutboundRefused,
    );
    const port = (server.address() as AddressInfo).port;
    await expect(
      outboundRequest(`http://localhost:${port}/`, { method: "GET", timeoutMs: 1000 }, { allowInternal: false }),
    ).rejects.toThrow(/internal/);
  });

  it("gives up on an answer too large or too slow", async () => {
    await expect(outboundRequest(`${url}/large`, { method: "GET", timeoutMs: 1000 }, { allowInternal: true })).rejects.toThrow(/64 KiB/);
    await expect(outboundRequest(`${url}/slow`, { method: "GET", timeoutMs: 200 }, { allowInternal: true })).rejects.toThrow(
      /no full answer within 200 ms/,
    );
    const started = Date.now();
    await expect(outboundRequest(`${url}/trickle`, { method: "GET", timeoutMs: 300 }, { allowInternal: true })).rejects.toThrow(
      /no full answer within 300 ms/,
    );
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
