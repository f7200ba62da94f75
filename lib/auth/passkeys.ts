/**
 * Passkeys (WebAuthn Level 3, @simplewebauthn/server): a person registers
 * several, names and removes them, and signs in with one alone (a
 * discoverable credential, user verification asked) or gives one as the
 * second factor after the password. The relying party is the issuer's host;
 * challenges are held in the sealed session cookie and used once.
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  type VerifiedRegistrationResponse,
} from "@simplewebauthn/server";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { recordEvent } from "@/lib/events";
import type { Passkey, User } from "@/lib/generated/prisma/client";
import { holdChallenge, takeChallenge } from "@/lib/auth/session";
import { deletePasskey, findPasskey, insertPasskey, listPasskeys, recordPasskeyUse, renamePasskey } from "@/lib/auth/store/factors";

function relyingParty() {
  const issuer = new URL(getConfig().issuer);
  return { rpID: issuer.hostname, origin: issuer.origin, rpName: getConfig().brand.name };
}

export const passkeyNameSchema = z.string().trim().min(1, "Give the passkey a name").max(60, "Use at most 60 characters");

export async function passkeyRegistrationOptions(user: User): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { rpID, rpName } = relyingParty();
  const existing = await listPasskeys(user.id);
  const options = await generateRegistrationOptions({
    rpName,
    rpID,
    userName: user.email,
    userDisplayName: user.name ?? user.email,
    userID: new TextEncoder().encode(user.id),
    attestationType: "none",
    excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: passkey.transports?.split(",") })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  await holdChallenge(options.challenge, "register");
  return options;
}

export class PasskeyError extends Error {
  override name = "PasskeyError";
}

export async function registerPasskey(user: User, response: RegistrationResponseJSON, name: string): Promise<void> {
  const expectedChallenge = await takeChallenge("register");
  if (!expectedChallenge) throw new PasskeyError("This request expired. Try again.");
  const { rpID, origin } = relyingParty();
  let verification: VerifiedRegistrationResponse;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
  } catch (error) {
    throw new PasskeyError(`The passkey could not be checked: ${(error as Error).message}`);
  }
  if (!verification.verified) throw new PasskeyError("The passkey could not be checked.");
  const { credential, credentialBackedUp } = verification.registrationInfo;
  await insertPasskey({
    id: credential.id,
    userId: user.id,
    name: passkeyNameSchema.parse(name),
    publicKey: Buffer.from(credential.publicKey).toString("base64url"),
    counter: credential.counter,
    transports: credential.transports?.join(",") ?? null,
    backedUp: credentialBackedUp,
  });
  await recordEvent({ type: "user.passkey_added", userId: user.id, details: { name } });
}

/** Options for signing in: any passkey of this site (alone), or only this person's (as the second factor). */
export async function passkeyAuthenticationOptions(forUser: User | null): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { rpID } = relyingParty();
  const allowCredentials = forUser
    ? (await listPasskeys(forUser.id)).map((passkey) => ({ id: passkey.id, transports: passkey.transports?.split(",") }))
    : undefined;
  const options = await generateAuthenticationOptions({ rpID, allowCredentials, userVerification: forUser ? "discouraged" : "required" });
  await holdChallenge(options.challenge, "authenticate");
  return options;
}

export type PasskeyCheck = { ok: true; userId: string; userVerified: boolean } | { ok: false };

/** Checks a passkey's answer to the held challenge; the signature counter must move on (when the authenticator keeps one). */
export async function checkPasskey(
  response: AuthenticationResponseJSON,
  options: { requireUserVerification: boolean },
): Promise<PasskeyCheck> {
  const expectedChallenge = await takeChallenge("authenticate");
  const passkey = typeof response?.id === "string" ? await findPasskey(response.id) : null;
  if (!expectedChallenge || !passkey) return { ok: false };
  const check = await verifyAssertion(passkey, response, expectedChallenge, options.requireUserVerification);
  if (check.ok) await recordPasskeyUse(passkey.id, check.newCounter);
  return check.ok ? { ok: true, userId: passkey.userId, userVerified: check.userVerified } : { ok: false };
}

/** WebAuthn's checks of an assertion: type, challenge, origin, RP ID hash, user presence (and verification when asked), signature and counter. */
export async function verifyAssertion(
  passkey: Pick<Passkey, "id" | "publicKey" | "counter" | "transports">,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  requireUserVerification: boolean,
): Promise<{ ok: true; newCounter: number; userVerified: boolean } | { ok: false }> {
  const { rpID, origin } = relyingParty();
  try {
    const verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification,
      credential: {
        id: passkey.id,
        publicKey: Buffer.from(passkey.publicKey, "base64url"),
        counter: passkey.counter,
        transports: passkey.transports?.split(",") as AuthenticatorTransport[] | undefined,
      },
    });
    if (!verification.verified) return { ok: false };
    return { ok: true, newCounter: verification.authenticationInfo.newCounter, userVerified: verification.authenticationInfo.userVerified };
  } catch {
    return { ok: false };
  }
}

export function myPasskeys(user: User) {
  return listPasskeys(user.id);
}

export async function renameMyPasskey(user: User, id: string, name: string): Promise<boolean> {
  return (await renamePasskey(user.id, id, passkeyNameSchema.parse(name))) === 1;
}

export async function removeMyPasskey(user: User, id: string): Promise<boolean> {
  const removed = (await deletePasskey(user.id, id)) === 1;
  if (removed) await recordEvent({ type: "user.passkey_removed", userId: user.id, details: { id } });
  return removed;
}
