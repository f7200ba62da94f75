/** Registering OAuth clients (apps); used by the CLI now and the dashboard later. */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db";
import { auditEventData } from "@/lib/events";
import { hashSecret, randomHex } from "@/lib/crypto";
import type { Client } from "@/lib/generated/prisma/client";
import { checkRedirectUri } from "@/lib/oauth/redirect-uri";
import { formatScope, isValidScopeToken, unknownScopes } from "@/lib/oauth/scopes";

export const GRANT_TYPES = ["authorization_code", "refresh_token", "client_credentials"] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export const newClientSchema = z
  .object({
    name: z.string().trim().min(1, "Enter a name").max(100, "Name is too long"),
    logoUrl: z
      .url("Enter an https URL for the logo")
      .refine((url) => url.startsWith("https://"), "The logo must be served over https")
      .optional(),
    ownerId: z.string().optional(),
    isConfidential: z.boolean().default(true),
    isFirstParty: z.boolean().default(false),
    allowPlainPkce: z.boolean().default(false),
    redirectUris: z.array(z.string()).default([]),
    grantTypes: z.array(z.enum(GRANT_TYPES)).min(1, "Choose at least one grant type").default(["authorization_code", "refresh_token"]),
    scopes: z.array(z.string().refine(isValidScopeToken, "Invalid scope name")).default(["openid", "profile", "email"]),
  })
  .superRefine((client, ctx) => {
    if (client.grantTypes.includes("client_credentials") && !client.isConfidential) {
      ctx.addIssue({ code: "custom", path: ["grantTypes"], message: "Only confidential clients can use client credentials" });
    }
    if (client.grantTypes.includes("authorization_code") && client.redirectUris.length === 0) {
      ctx.addIssue({ code: "custom", path: ["redirectUris"], message: "The authorization code grant needs at least one redirect URI" });
    }
    client.redirectUris.forEach((uri, index) => {
      const check = checkRedirectUri(uri);
      if (!check.ok) ctx.addIssue({ code: "custom", path: ["redirectUris", index], message: `${uri}: ${check.reason}` });
    });
  });

export type NewClient = z.input<typeof newClientSchema>;

export class ClientValidationError extends Error {
  override name = "ClientValidationError";
  constructor(readonly issues: string[]) {
    super(issues.join("\n"));
  }
}

export type RegisteredClient = { client: Client; redirectUris: string[]; clientSecret?: string };

/**
 * Creates a client with its redirect URIs in one transaction. A confidential
 * client gets a 256-bit secret, returned only here and stored as a keyed hash.
 */
export async function registerClient(input: NewClient, options: { clientId?: string } = {}): Promise<RegisteredClient> {
  const parsed = newClientSchema.safeParse(input);
  if (!parsed.success) throw new ClientValidationError(parsed.error.issues.map((issue) => issue.message));
  const client = parsed.data;
  const missing = await unknownScopes(client.scopes);
  if (missing.length > 0) throw new ClientValidationError([`Unknown scope: ${missing.join(", ")}`]);

  const id = options.clientId ?? randomHex(16);
  const clientSecret = client.isConfidential ? randomHex(32) : undefined;
  const redirectUris = [...new Set(client.redirectUris.map((uri) => uri.trim()))];

  const [created] = await db().$transaction([
    db().client.create({
      data: {
        id,
        name: client.name,
        logoUrl: client.logoUrl,
        ownerId: client.ownerId,
        isConfidential: client.isConfidential,
        isFirstParty: client.isFirstParty,
        allowPlainPkce: client.allowPlainPkce,
        grantTypes: client.grantTypes.join(" "),
        scopes: formatScope(client.scopes),
        secretHash: clientSecret ? hashSecret(clientSecret) : null,
        redirectUris: { create: redirectUris.map((uri) => ({ id: randomUUID(), uri })) },
      },
    }),
    db().auditEvent.create({
      data: auditEventData({ type: "client.created", clientId: id, userId: client.ownerId, scopes: client.scopes }),
    }),
  ]);
  return { client: created, redirectUris, clientSecret };
}

export function findClient(id: string) {
  return db().client.findUnique({ where: { id }, include: { redirectUris: true } });
}

/** The apps a person registered, newest first. */
export function listClientsOwnedBy(userId: string) {
  return db().client.findMany({ where: { ownerId: userId }, include: { redirectUris: true }, orderBy: { createdAt: "desc" } });
}
