/**
 * The device authorization grant (RFC 8628) for CLIs and TVs: the device gets
 * a device code and a short user code; a person signed in on another screen
 * enters the user code at /device and answers; the device polls the token
 * endpoint until then.
 */
import { randomInt } from "node:crypto";
import { takeAttempt } from "@/lib/auth/rate-limit";
import { getConfig } from "@/lib/config";
import { findResourceApi, resolveRequestedApi, type ResourceApi } from "@/lib/oauth/apis";
import { OAuthError } from "@/lib/oauth/errors";
import type { Client } from "@/lib/generated/prisma/client";
import { DEVICE_CODE_GRANT, allowsGrant } from "@/lib/oauth/clients";
import { clientOwnerName } from "@/lib/oauth/store/authorizations";
import { findClientForAuthentication } from "@/lib/oauth/store/clients";
import { answerDevice, createDeviceAuthorization, findPendingDevice } from "@/lib/oauth/store/devices";
import { readScopes } from "@/lib/oauth/authorization-request";
import { formatScope, parseScope } from "@/lib/oauth/scopes";

/** RFC 8628 §6.1: no vowels (no words), no look-alikes such as 0/O or 1/I. */
const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
const USER_CODE_LENGTH = 8;
const LIFETIME_SECONDS = 600;
const INTERVAL_SECONDS = 5;
/** Guesses at /device per address per 15 minutes: 8 letters of 20 make 2.5·10¹⁰ codes. */
const GUESSES_PER_WINDOW = 10;
const GUESS_WINDOW_SECONDS = 900;

function newUserCode(): string {
  return Array.from({ length: USER_CODE_LENGTH }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join("");
}

/** What a person types, as stored: letters of the alphabet only, upper case ("bcdf-ghjk" is BCDFGHJK). */
function normalizeUserCode(typed: string): string {
  return typed.toUpperCase().replace(/[^A-Z]/g, "");
}

function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** POST /oauth/device_authorization, for an authenticated (or public) app. */
export async function startDeviceAuthorization(client: Client, params: ReadonlyMap<string, string>) {
  if (!allowsGrant(client, DEVICE_CODE_GRANT))
    throw new OAuthError("unauthorized_client", "This client is not allowed the device authorization grant");
  const api = await resolveRequestedApi({ resource: params.get("resource"), audience: params.get("audience"), scope: params.get("scope") });
  const scopes = readScopes(params.get("scope"), client, api);
  const { deviceCode, userCode } = await createDeviceAuthorization(
    {
      clientId: client.id,
      scopes: formatScope(scopes),
      audience: api.identifier,
      interval: INTERVAL_SECONDS,
      lifetimeSeconds: LIFETIME_SECONDS,
    },
    newUserCode,
  );
  const verificationUri = `${getConfig().issuer}/device`;
  return {
    device_code: deviceCode,
    user_code: formatUserCode(userCode),
    verification_uri: verificationUri,
    verification_uri_complete: `${verificationUri}?user_code=${formatUserCode(userCode)}`,
    expires_in: LIFETIME_SECONDS,
    interval: INTERVAL_SECONDS,
  };
}

export type DeviceScreen =
  | { kind: "not_found" }
  | { kind: "too_many"; retryAfterSeconds: number }
  | {
      kind: "ask";
      userCode: string;
      client: { name: string; logoUrl: string | null };
      madeBy: string | null;
      unverified: boolean;
      api: ResourceApi;
      scopes: { name: string; description: string }[];
    };

/** What /device shows for a code a person typed: the app and what it asks, or why not. Typing counts against guessing. */
export async function deviceScreen(typed: string, ip: string): Promise<DeviceScreen> {
  const attempt = await takeAttempt(`device-ip:${ip}`, GUESSES_PER_WINDOW, GUESS_WINDOW_SECONDS);
  if (!attempt.allowed) return { kind: "too_many", retryAfterSeconds: attempt.retryAfterSeconds };
  const userCode = normalizeUserCode(typed);
  const row = userCode.length === USER_CODE_LENGTH ? await findPendingDevice(userCode) : null;
  const client = row ? await findClientForAuthentication(row.clientId) : null;
  const api = row ? await findResourceApi(row.audience) : null;
  if (!row || !client || client.disabledAt || !api) return { kind: "not_found" };
  return {
    kind: "ask",
    userCode: formatUserCode(userCode),
    client: { name: client.name, logoUrl: client.logoUrl },
    madeBy: await clientOwnerName(client.ownerId),
    unverified: client.registeredVia === "open",
    api,
    scopes: parseScope(row.scopes).map((name) => ({ name, description: api.scopes.get(name)?.description ?? name })),
  };
}

/** The person's Authorize or Deny for a user code; false when the code is no longer waiting. Each answer counts as a guess, as typing the code does. */
export async function answerDeviceCode(
  typed: string,
  approve: boolean,
  viewer: { userId: string; authTime: number },
  ip: string,
): Promise<boolean | "too_many"> {
  const attempt = await takeAttempt(`device-ip:${ip}`, GUESSES_PER_WINDOW, GUESS_WINDOW_SECONDS);
  if (!attempt.allowed) return "too_many";
  const userCode = normalizeUserCode(typed);
  const row = await findPendingDevice(userCode);
  const api = row ? await findResourceApi(row.audience) : null;
  if (!row || !api) return false;
  return answerDevice(userCode, { approve, userId: viewer.userId, authTime: new Date(viewer.authTime * 1000), apiId: api.id });
}
