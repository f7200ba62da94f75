/**
 * WebAuthn's checks, against a software authenticator made here: an ES256
 * key, its COSE form, and assertions signed as an authenticator signs them.
 * Each check is broken once and must fail.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { verifyAssertion } from "./passkeys";

const b64url = (bytes: Buffer | Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest();

/** A COSE_Key (RFC 9053) for an ES256 public key: {1: 2, 3: -7, -1: 1, -2: x, -3: y} in CBOR. */
function coseKey(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: "jwk" });
  const x = Buffer.from(jwk.x!, "base64url");
  const y = Buffer.from(jwk.y!, "base64url");
  return b64url(
    Buffer.concat([Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]), x, Buffer.from([0x22, 0x58, 0x20]), y]),
  );
}

function authenticator() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const passkey = { id: b64url(Buffer.from("credential-1")), publicKey: coseKey(publicKey), counter: 5, transports: "internal" };
  const origin = new URL(getConfig().issuer).origin;
  const rpId = new URL(getConfig().issuer).hostname;
  function assertion(
    challenge: string,
    overrides: { origin?: string; rpId?: string; counter?: number; flags?: number; type?: string; tamper?: boolean } = {},
  ): AuthenticationResponseJSON {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(overrides.counter ?? 6);
    // UP (0x01) and UV (0x04).
    const authenticatorData = Buffer.concat([sha256(overrides.rpId ?? rpId), Buffer.from([overrides.flags ?? 0x05]), counter]);
    const clientDataJSON = Buffer.from(
      JSON.stringify({ type: overrides.type ?? "webauthn.get", challenge, origin: overrides.origin ?? origin, crossOrigin: false }),
    );
    let signature = sign("sha256", Buffer.concat([authenticatorData, sha256(clientDataJSON)]), privateKey);
    if (overrides.tamper) signature = Buffer.from(signature.map((byte, index) => (index === signature.length - 1 ? byte ^ 1 : byte)));
    return {
      id: passkey.id,
      rawId: passkey.id,
      type: "public-key",
      clientExtensionResults: {},
      response: { authenticatorData: b64url(authenticatorData), clientDataJSON: b64url(clientDataJSON), signature: b64url(signature) },
    };
  }
  return { passkey, assertion };
}

const challenge = b64url(Buffer.from("a challenge of thirty-two bytes!"));

describe("passkey assertions", () => {
  it("accepts a well-formed assertion and returns the new counter", async () => {
    const { passkey, assertion } = authenticator();
    expect(await verifyAssertion(passkey, assertion(challenge), challenge, true)).toEqual({ ok: true, newCounter: 6, userVerified: true });
  });

  it.each([
    ["another challenge", { challenge: b64url(Buffer.from("another challenge entirely......")) }],
    ["another origin", { origin: "https://evil.example" }],
    ["another relying party", { rpId: "evil.example" }],
    ["a counter that did not move on (a cloned authenticator)", { counter: 5 }],
    ["a registration's client data", { type: "webauthn.create" }],
    ["a wrong signature", { tamper: true }],
    ["no user presence", { flags: 0x00 }],
  ])("refuses %s", async (_, change) => {
    const { passkey, assertion } = authenticator();
    const { challenge: sent = challenge, ...overrides } = change as { challenge?: string };
    expect(await verifyAssertion(passkey, assertion(sent, overrides), challenge, false)).toEqual({ ok: false });
  });

  it("refuses an assertion without user verification when signing in with the passkey alone, and takes it as a second factor", async () => {
    const { passkey, assertion } = authenticator();
    const presenceOnly = assertion(challenge, { flags: 0x01 });
    expect(await verifyAssertion(passkey, presenceOnly, challenge, true)).toEqual({ ok: false });
    expect(await verifyAssertion(passkey, presenceOnly, challenge, false)).toEqual({ ok: true, newCounter: 6, userVerified: false });
  });
});
