/** The address a request came from, for throttling and the audit log. */
import { isIP } from "node:net";
import { getConfig } from "@/lib/config";
import type { HeaderReader } from "@/lib/protocol-http";

/**
 * The portal's server writes the socket address into this header, replacing
 * anything a client sent, so it can be trusted (see scripts/start.ts).
 */
export const CLIENT_IP_HEADER = "x-portal-client-ip";

/**
 * Behind `hops` trusted proxies, each appends the address it received from to
 * X-Forwarded-For, so the client is the entry `hops` places from the right of
 * [...X-Forwarded-For, socket address]. Entries further left were written by
 * the client itself and prove nothing. When the chain is shorter than the
 * configured hops (a request that bypassed a proxy) the leftmost entry that a
 * proxy could have written is the best there is: the socket's own peer.
 */
export function clientAddress(socketAddress: string, forwardedFor: string | null, hops: number): string {
  if (hops <= 0 || !forwardedFor) return socketAddress;
  const chain = [...forwardedFor.split(",").map((entry) => entry.trim()), socketAddress];
  const candidate = chain[chain.length - 1 - hops];
  return candidate && isIP(candidate) ? candidate : socketAddress;
}

export function clientIp(headers: HeaderReader): string {
  const socketAddress = headers.get(CLIENT_IP_HEADER) ?? "unknown";
  return clientAddress(socketAddress, headers.get("x-forwarded-for"), getConfig().trustedProxyHops);
}
