/**
 * Requests the portal makes to addresses apps registered (a jwks_uri, a
 * back-channel logout URI, a webhook): bounded in size and in total time (a
 * receiver that trickles bytes is cut at the deadline, not only one that goes
 * quiet), never following
 * redirects, and, outside development, never to a private, loopback or
 * link-local address, checked on the address actually connected to (so a DNS
 * answer that changes between check and use cannot slip through).
 */
import { BlockList, isIP } from "node:net";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { getConfig } from "@/lib/config";

const internal = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 3],
] as const)
  internal.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 127],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const)
  internal.addSubnet(network, prefix, "ipv6");

/** Whether an address is one the portal may call from production: not private, loopback, link-local or reserved. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return !internal.check(mapped[1]!, "ipv4");
  return !internal.check(address, family === 4 ? "ipv4" : "ipv6");
}

export class OutboundRefused extends Error {
  override name = "OutboundRefused";
}

const MAX_BYTES = 64 * 1024;

/** A request to an app's address; answers a Response whose body was read (at most 64 KiB). */
export function outboundRequest(
  url: string,
  init: { method: "GET" | "POST"; headers?: Record<string, string>; body?: string; timeoutMs: number; signal?: AbortSignal },
  options: { allowInternal?: boolean } = {},
): Promise<Response> {
  const target = new URL(url);
  const allowInternal = options.allowInternal ?? !getConfig().production;
  const lookup: RequestOptions["lookup"] = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const usable = allowInternal ? addresses : addresses.filter((entry) => isPublicAddress(entry.address));
      if (usable.length === 0) return callback(new OutboundRefused(`${hostname} resolves only to internal addresses`), "", 0);
      if (lookupOptions.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
  return new Promise((resolve, reject) => {
    if (!allowInternal && isIP(target.hostname.replace(/^\[|\]$/g, "")) && !isPublicAddress(target.hostname.replace(/^\[|\]$/g, ""))) {
      return reject(new OutboundRefused(`${target.hostname} is an internal address`));
    }
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const request = send(
      target,
      { method: init.method, headers: init.headers, lookup, signal: init.signal },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BYTES) return request.destroy(new OutboundRefused("the answer is larger than 64 KiB"));
          chunks.push(chunk);
        });
        response.on("end", () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(response.headers)) if (typeof value === "string") headers.set(name, value);
          const status = response.statusCode ?? 502;
          resolve(new Response([101, 204, 205, 304].includes(status) ? null : Buffer.concat(chunks), { status, headers }));
        });
        response.on("error", reject);
      },
    );
    // One deadline for the whole exchange: a receiver that trickles bytes is cut there too, not only one that goes quiet.
    const deadline = setTimeout(() => request.destroy(new OutboundRefused(`no full answer within ${init.timeoutMs} ms`)), init.timeoutMs);
    request.on("close", () => clearTimeout(deadline));
    request.on("error", reject);
    request.end(init.body);
  });
}
