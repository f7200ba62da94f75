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
import {
  deleteSession,
  deleteSessionsOf,
  findSession,
  listSessionsOf,
  replaceSession,
  setSessionAmr,
  touchSession,
} from "@/lib/auth/store/sessions";

/**
 * `pendingSignIn`: a person who proved the first factor and must still give
 * the second; it lives PENDING_SIGN_IN_MS and is no session. `challenge`: a
 * WebAuthn challenge waiting for the browser's answer. The cookie is sealed,
 * so neither can be forged.
 */
type CookieData = {
  sessionId?: string;
  pendingSignIn?: { userId: string; amr: string[]; at: number };
  challenge?: { value: string; purpose: "register" | "authenticate"; at: number };
};

const PENDING_SIGN_IN_MS = 5 * 60_000;
const CHALLENGE_MS = 5 * 60_000;

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

type LiveSession = { id: string; sid: string; user: User; authTime: number; amr: string[] };

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
  if (!session || session.expiresAt.getTime() <= now || session.lastSeenAt.getTime() + idleSeconds * 1000 <= now || session.user.disabledAt)
    return null;
  if (now - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) await touchSession(sessionId);
  return {
    id: sessionId,
    sid: session.sid,
    user: session.user,
    authTime: Math.floor(session.authTime.getTime() / 1000),
    amr: session.amr.split(" "),
  };
});

/** The signed-in person, or null when signed out, the session ended, or the account is gone or disabled. */
export async function currentUser(): Promise<User | null> {
  return (await liveSession())?.user ?? null;
}

/** The signed-in person with the time and way they signed in and the session's public name (`sid`), for the authorization flow. */
export async function currentViewer(): Promise<{ userId: string; authTime: number; sid: string; amr: string[] } | null> {
  const session = await liveSession();
  return session ? { userId: session.user.id, authTime: session.authTime, sid: session.sid, amr: session.amr } : null;
}

/**
 * The person just set up a second factor and proved it (a code from the new
 * app, or the new passkey): this session now counts as multi-factor. The
 * cookie stays as it is, so the page that did it is not reloaded.
 */
export async function addToSessionAmr(factor: "otp" | "hwk"): Promise<void> {
  const session = await liveSession();
  if (session) await setSessionAmr(hashSecret(session.id), [...new Set([...session.amr, factor, "mfa"])].join(" "));
}

/** This browser's session id, hashed as the sessions list names it (to keep it when others end). */
export async function currentSessionIdHash(): Promise<string | null> {
  const session = await liveSession();
  return session ? hashSecret(session.id) : null;
}

/** Replaces whatever session the browser had with a new one (no session fixation); `amr` says how the person proved who they are. */
export async function startSession(user: User, amr: string[]): Promise<void> {
  const cookie = await sessionCookie();
  cookie.pendingSignIn = undefined;
  const id = randomToken(32);
  const now = new Date();
  const requestHeaders = await headers();
  await replaceSession(cookie.sessionId, {
    id,
    sid: randomToken(16),
    userId: user.id,
    authTime: now,
    expiresAt: new Date(now.getTime() + getConfig().sessionTtl.absoluteSeconds * 1000),
    userAgent: requestHeaders.get("user-agent")?.slice(0, 300) ?? null,
    ip: clientIp(requestHeaders),
    amr: amr.join(" "),
  });
  cookie.sessionId = id;
  await cookie.save();
}

/** The first factor is proved; the second is asked next. Kept in the sealed cookie only. */
export async function startPendingSignIn(user: User, amr: string[]): Promise<void> {
  const cookie = await sessionCookie();
  cookie.pendingSignIn = { userId: user.id, amr, at: Date.now() };
  await cookie.save();
}

/** The person half-way through signing in, while it is fresh. */
export async function pendingSignIn(): Promise<{ userId: string; amr: string[] } | null> {
  const { pendingSignIn: pending } = await sessionCookie();
  return pending && Date.now() - pending.at < PENDING_SIGN_IN_MS ? { userId: pending.userId, amr: pending.amr } : null;
}

/** Keeps a WebAuthn challenge until the browser answers it. */
export async function holdChallenge(value: string, purpose: "register" | "authenticate"): Promise<void> {
  const cookie = await sessionCookie();
  cookie.challenge = { value, purpose, at: Date.now() };
  await cookie.save();
}

/** The challenge held for this purpose, used once: it is removed as it is read. */
export async function takeChallenge(purpose: "register" | "authenticate"): Promise<string | null> {
  const cookie = await sessionCookie();
  const held = cookie.challenge;
  if (!held) return null;
  cookie.challenge = undefined;
  await cookie.save();
  return held.purpose === purpose && Date.now() - held.at < CHALLENGE_MS ? held.value : null;
}

/** Ends this browser's session everywhere its cookie may have been copied. */
export async function endSession(): Promise<void> {
  const cookie = await sessionCookie();
  if (cookie.sessionId) await deleteSession(cookie.sessionId);
  cookie.destroy();
}

export type SessionListEntry = {
  idHash: string;
  current: boolean;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
};

/** The signed-in person's sessions, this browser's marked. */
export async function mySessions(): Promise<SessionListEntry[]> {
  const session = await liveSession();
  if (!session) return [];
  const currentHash = hashSecret(session.id);
  return (await listSessionsOf(session.user.id)).map((row) => ({
    idHash: row.idHash,
    current: row.idHash === currentHash,
    userAgent: row.userAgent,
    ip: row.ip,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
  }));
}

/** Ends one of the signed-in person's other sessions, or all of them ("sign out everywhere else"). */
export async function endMyOtherSessions(only?: string): Promise<number> {
  const session = await liveSession();
  if (!session) return 0;
  const currentHash = hashSecret(session.id);
  if (only === currentHash) return 0;
  return deleteSessionsOf(session.user.id, only ? { onlyIdHash: only } : { exceptIdHash: currentHash });
}
