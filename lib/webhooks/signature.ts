/**
 * Standard Webhooks (standardwebhooks.com) signatures: HMAC-SHA256 over
 * `${webhook-id}.${webhook-timestamp}.${body}` with the secret's bytes (the
 * base64 after "whsec_"), sent as `webhook-signature: v1,<base64>`.
 */
import { createHmac, randomBytes } from "node:crypto";
import { constantTimeEqual } from "@/lib/crypto";

const PREFIX = "whsec_";

export function newWebhookSecret(): string {
  return PREFIX + randomBytes(24).toString("base64");
}

export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

/** A receiver's check: one of the space-separated signatures matches, and the timestamp is within `toleranceSeconds` of now. */
export function verifyWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = signWebhook(secret, headers.id, timestamp, body);
  return headers.signature.split(" ").some((candidate) => constantTimeEqual(candidate, expected));
}
