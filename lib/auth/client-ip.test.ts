import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-ip";

describe("clientAddress", () => {
  it("is the socket address when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress("192.0.2.9", "203.0.113.1", 0)).toBe("192.0.2.9");
  });

  it("takes the address the one trusted proxy saw, not what the client wrote before it", () => {
    // The client sent "X-Forwarded-For: 203.0.113.66"; the proxy appended the real peer.
    expect(clientAddress("10.0.0.2", "203.0.113.66, 198.51.100.7", 1)).toBe("198.51.100.7");
    expect(clientAddress("10.0.0.2", "198.51.100.7", 1)).toBe("198.51.100.7");
  });

  it("walks back one entry per trusted proxy", () => {
    // client → CDN (appends client) → nginx (appends CDN) → portal
    expect(clientAddress("10.0.0.2", "203.0.113.66, 198.51.100.7, 192.0.2.50", 2)).toBe("198.51.100.7");
  });

  it("falls back to the socket address for a short chain or an entry that is not an address", () => {
    expect(clientAddress("10.0.0.2", "198.51.100.7", 3)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", "not-an-address", 1)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", null, 1)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", "2001:db8::1", 1)).toBe("2001:db8::1");
  });
});
