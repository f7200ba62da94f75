/** The audit log: who did what to which client, when and from where. */
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db";

export type AuditEventType =
  | "user.signed_up"
  | "user.signed_in"
  | "user.sign_in_failed"
  | "user.sign_in_throttled"
  | "client.created"
  | "authorization.approved"
  | "authorization.denied"
  | "token.issued"
  | "token.refreshed"
  | "token.revoked"
  | "token.refresh_reuse_detected"
  | "token.code_reuse_detected";

export type AuditEventInput = {
  type: AuditEventType;
  clientId?: string | null;
  userId?: string | null;
  grantId?: string | null;
  scopes?: string[];
  ip?: string | null;
  details?: Record<string, unknown>;
};

export function auditEventData(event: AuditEventInput) {
  return {
    id: randomUUID(),
    type: event.type,
    clientId: event.clientId ?? null,
    userId: event.userId ?? null,
    grantId: event.grantId ?? null,
    scopes: event.scopes?.join(" ") ?? null,
    ip: event.ip ?? null,
    details: event.details ? JSON.stringify(event.details) : null,
  };
}

export async function recordEvent(event: AuditEventInput): Promise<void> {
  await db().auditEvent.create({ data: auditEventData(event) });
}
