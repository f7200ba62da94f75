/**
 * Sessions are sealed, httpOnly cookies (iron-session): no server state, so any
 * instance can serve any request. A cookie that does not unseal is treated as
 * signed out. Pages and handlers check the user themselves (currentUser), never
 * only a proxy (Next.js CVE-2025-29927).
 */
import { getIronSession, type SessionOptions } from "iron-session";
import { cookies } from "next/headers";
import { findUserById } from "@/lib/accounts/users";
import { getConfig } from "@/lib/config";
import { randomToken } from "@/lib/crypto";
import type { User } from "@/lib/generated/prisma/client";

export type SessionData = {
  userId?: string;
  /** Seconds since the epoch when the person signed in (OIDC auth_time). */
  authTime?: number;
  /** Fresh at every sign-in, so a session cookie from before never carries over. */
  sessionId?: string;
};

const SESSION_TTL_SECONDS = 7 * 24 * 3600;

function sessionOptions(): SessionOptions {
  const config = getConfig();
  return {
    password: config.sessionSecret,
    cookieName: config.secureCookies ? "__Host-portal_session" : "portal_session",
    ttl: SESSION_TTL_SECONDS,
    cookieOptions: { httpOnly: true, sameSite: "lax", secure: config.secureCookies, path: "/" },
  };
}

async function session() {
  return getIronSession<SessionData>(await cookies(), sessionOptions());
}

/** The signed-in person, or null when signed out, the account is gone or disabled. */
export async function currentUser(): Promise<User | null> {
  const { userId } = await session();
  if (!userId) return null;
  const user = await findUserById(userId);
  return user && !user.disabledAt ? user : null;
}

/** Replaces whatever session the browser had with a new one (no session fixation). */
export async function startSession(user: User): Promise<void> {
  const current = await session();
  current.userId = user.id;
  current.authTime = Math.floor(Date.now() / 1000);
  current.sessionId = randomToken(16);
  await current.save();
}

export async function endSession(): Promise<void> {
  (await session()).destroy();
}

/** The signed-in person with the time they signed in, for the authorization flow. */
export async function currentViewer(): Promise<{ userId: string; authTime: number } | null> {
  const { userId, authTime } = await session();
  if (!userId || !authTime) return null;
  const user = await findUserById(userId);
  return user && !user.disabledAt ? { userId, authTime } : null;
}
