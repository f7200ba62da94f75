/**
 * Sessions are kept server-side: the sealed, httpOnly cookie (iron-session)
 * carries only a random session id, and the database holds its keyed hash
 * with the person, the sign-in time, the device and the address. Signing out
 * deletes the row, so a copied cookie stops working at every instance at
 * once. A session ends after SESSION_IDLE_TTL without use and
 * SESSION_ABSOLUTE_TTL after the sign-in. A cookie that does not unseal, or
 * names no live session, is treated as signed out. Pages and handlers check
 * the user themselves (currentUser), never only a proxy (CVE-2025-29927).
 */
import { getIronSession, type SessionOptions } from "iron-session";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { clientIp } from "@/lib/auth/client-ip";
import { getConfig } from "@/lib/config";
import { hashSecret, randomToken } from "@/lib/crypto";
import type { User } from "@/lib/generated/prisma/client";
import { createSession, deleteSession, deleteSessionsOf, findSession, listSessionsOf, touchSession } from "@/lib/auth/store/sessions";

type CookieData = { sessionId?: string };

/** lastSeenAt is written at most this often, so browsing is not a write per page. */
const TOUCH_AFTER_MS = 60_000;

function cookieOptions(): SessionOptions {
  const config = getConfig();
  return {
    password: config.sessionSecret,
    cookieName: config.secureCookies ? "__Host-portal_session" : "portal_session",
    ttl: config.sessionTtl.absoluteSeconds,
    cookieOptions: { httpOnly: true, sameSite: "lax", secure: config.secureCookies, path: "/" },
  };
}

async function sessionCookie() {
  return getIronSession<CookieData>(await cookies(), cookieOptions());
}

type LiveSession = { id: string; sid: string; user: User; authTime: number };

/**
 * The session the browser holds, while it lives, its person is active, and
 * neither lifetime has run out. Read once per page render (React's cache):
 * a page's guard and its content ask for it both.
 */
const liveSession = cache(async (): Promise<LiveSession | null> => {
  const { sessionId } = await sessionCookie();
  if (!sessionId) return null;
  const session = await findSession(sessionId);
  const now = Date.now();
  const { idleSeconds } = getConfig().sessionTtl;
  if (!session || session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + idleSeconds * 1000 <= now || session.user.disabledAt) return null;
  if (now - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) await touchSession(sessionId);
  return { id: sessionId, sid: session.sid, user: session.user, authTime: Math.floor(session.authTime.getTime() / 1000) };
});

/** The signed-in person, or null when signed out, the session ended, or the account is gone or disabled. */
export async function currentUser(): Promise<User | null> {
  return (await liveSession())?.user ?? null;
}

/** The signed-in person with the time they signed in and the session's public name (`sid`), for the authorization flow. */
export async function currentViewer(): Promise<{ userId: string; authTime: number; sid: string } | null> {
  const session = await liveSession();
  return session ? { userId: session.user.id, authTime: session.authTime, sid: session.sid } : null;
}

/** Replaces whatever session the browser had with a new one (no session fixation). */
export async function startSession(user: User): Promise<void> {
  const cookie = await sessionCookie();
  if (cookie.sessionId) await deleteSession(cookie.sessionId);
  const id = randomToken(32);
  const now = new Date();
  const requestHeaders = await headers();
  await createSession({
    id,
    sid: randomToken(16),
    userId: user.id,
    authTime: now,
    expiresAt: new Date(now.getTime() + getConfig().sessionTtl.absoluteSeconds * 1000),
    userAgent: requestHeaders.get("user-agent")?.slice(0, 300) ?? null,
    ip: clientIp(requestHeaders),
  });
  cookie.sessionId = id;
  await cookie.save();
}

/** Ends this browser's session everywhere its cookie may have been copied. */
export async function endSession(): Promise<void> {
  const cookie = await sessionCookie();
  if (cookie.sessionId) await deleteSession(cookie.sessionId);
  cookie.destroy();
}

export type SessionListEntry = { idHash: string; current: boolean; userAgent: string | null; ip: string | null; createdAt: Date; lastSeenAt: Date };

/** The signed-in person's sessions, this browser's marked. */
export async function mySessions(): Promise<SessionListEntry[]> {
  const session = await liveSession();
  if (!session) return [];
  const currentHash = hashSecret(session.id);
  return (await listSessionsOf(session.user.id)).map((row) => ({ idHash: row.idHash, current: row.idHash === currentHash, userAgent: row.userAgent, ip: row.ip, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt }));
}

/** Ends one of the signed-in person's other sessions, or all of them ("sign out everywhere else"). */
export async function endMyOtherSessions(only?: string): Promise<number> {
  const session = await liveSession();
  if (!session) return 0;
  const currentHash = hashSecret(session.id);
  if (only === currentHash) return 0;
  return deleteSessionsOf(session.user.id, only ? { onlyIdHash: only } : { exceptIdHash: currentHash });
}
