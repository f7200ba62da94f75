import { formatTime } from "@/lib/format";
import type { Metadata } from "next";
import { AppShell } from "@/components/app-shell";
import { Alert } from "@/components/ui/alert";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { requireUser } from "@/lib/auth/guards";
import { mySessions } from "@/lib/auth/session";
import { endSessionsAction } from "./actions";

export const metadata: Metadata = { title: "Sessions" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** A readable device name from the user agent: the browser and the system, when recognisable. */
function deviceOf(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Chrome\//.test(userAgent)
      ? "Chrome"
      : /Firefox\//.test(userAgent)
        ? "Firefox"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "A browser";
  const system = /Windows/.test(userAgent)
    ? "Windows"
    : /Mac OS X/.test(userAgent)
      ? "macOS"
      : /Android/.test(userAgent)
        ? "Android"
        : /iPhone|iPad/.test(userAgent)
          ? "iOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  return system ? `${browser} on ${system}` : browser;
}

const button = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50";

export default async function SessionsPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser("/account/sessions");
  const [sessions, csrf] = await Promise.all([mySessions(), csrfToken()]);
  const ended = (await searchParams).ended;
  const others = sessions.filter((session) => !session.current);
  return (
    <AppShell user={user} current="sessions">
      <h1 className="text-2xl font-semibold tracking-tight">Sessions</h1>
      <p className="mt-1 text-sm text-slate-600">Where you are signed in. Ending a session signs that browser out at once.</p>
      {typeof ended === "string" ? (
        <div className="mt-4">
          <Alert tone="info">{ended === "1" ? "1 session was ended." : `${ended} sessions were ended.`}</Alert>
        </div>
      ) : null}
      <ul className="mt-6 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" aria-label="Your sessions">
        {sessions.map((session) => (
          <li key={session.idHash} className="flex flex-col gap-2 p-4 sm:flex-row sm:items-center sm:justify-between">
            <div className="text-sm">
              <p className="font-medium text-slate-900">
                {deviceOf(session.userAgent)}
                {session.current ? (
                  <span className="ml-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-800">This browser</span>
                ) : null}
              </p>
              <p className="text-slate-600">
                {session.ip ?? "Unknown address"} · signed in {formatTime(session.createdAt)} · last active {formatTime(session.lastSeenAt)}
              </p>
            </div>
            {session.current ? null : (
              <form action={endSessionsAction}>
                <input type="hidden" name={CSRF_FIELD} value={csrf} />
                <input type="hidden" name="session" value={session.idHash} />
                <button type="submit" className={button}>
                  End session<span className="sr-only"> on {deviceOf(session.userAgent)}</span>
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      {others.length > 0 ? (
        <form action={endSessionsAction} className="mt-4">
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <button type="submit" className={button}>
            Sign out everywhere else
          </button>
        </form>
      ) : null}
    </AppShell>
  );
}
