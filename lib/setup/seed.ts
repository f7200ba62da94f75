/**
 * The demo account and demo app, so a fresh portal can be tried at once.
 * Idempotent: what exists is left as it is. The demo admin's password is
 * random, printed once when the account is created: a portal reachable from
 * the network is never an open door.
 */
import { createUser, EmailTakenError, findUserByEmail } from "@/lib/accounts/users";
import { getConfig } from "@/lib/config";
import { randomToken } from "@/lib/crypto";
import { isUniqueViolation } from "@/lib/db";
import { registerClient } from "@/lib/oauth/clients";
import type { User } from "@/lib/generated/prisma/client";
import { findClient, countClients } from "@/lib/oauth/store/clients";
import { countPeople } from "@/lib/accounts/store/people";

export const DEMO_USER = { email: "demo@example.com", name: "Demo User" } as const;
export const DEMO_CLIENT_ID = "demo-app";
export const DEMO_REDIRECT_URI = "http://localhost:8080/callback";

export type SeedReport = string[];

export async function seedDemo(): Promise<SeedReport> {
  const report: SeedReport = [];
  const user = await seedDemoUser(report);
  await seedDemoApp(user.id, report);
  return report;
}

// Instances starting together on an empty database each seed: the first write wins, the others find it done.

async function seedDemoUser(report: SeedReport): Promise<User> {
  const existing = await findUserByEmail(DEMO_USER.email);
  if (existing) {
    report.push(`Demo user exists: ${DEMO_USER.email}`);
    return existing;
  }
  // An admin, so a fresh development portal can be tried end to end from the browser.
  const password = randomToken(12);
  try {
    const user = await createUser({ ...DEMO_USER, password, isAdmin: true });
    report.push(`Demo user created: ${DEMO_USER.email} / password: ${password} (admin; shown only now)`);
    return user;
  } catch (error) {
    if (!(error instanceof EmailTakenError)) throw error;
    return seedDemoUser(report);
  }
}

async function seedDemoApp(ownerId: string, report: SeedReport): Promise<void> {
  if (!(await findClient(DEMO_CLIENT_ID))) {
    try {
      // A public client: its credentials (none) can be printed every time.
      await registerClient(
        {
          name: "Demo App",
          ownerId,
          isConfidential: false,
          redirectUris: [DEMO_REDIRECT_URI],
          grantTypes: ["authorization_code", "refresh_token"],
          scopes: ["openid", "profile", "email", "offline_access"],
        },
        { clientId: DEMO_CLIENT_ID },
      );
      report.push(`Demo app created: client_id ${DEMO_CLIENT_ID} (public, PKCE), redirect URI ${DEMO_REDIRECT_URI}`);
      return;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  report.push(`Demo app exists: client_id ${DEMO_CLIENT_ID}`);
}

/** `npm start` seeds only a portal that has nobody in it yet, and never in production. */
export async function seedIfEmpty(): Promise<SeedReport> {
  if (getConfig().production) return [];
  const [users, clients] = await Promise.all([countPeople(), countClients()]);
  if (users > 0 || clients > 0) return [];
  return seedDemo();
}
