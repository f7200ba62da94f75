import { listQueryOf, PageLinks } from "@/components/ui/page-links";
import { formatTime } from "@/lib/format";
import { AUDIT_EVENT_LABELS, type listEvents } from "@/lib/events";

type Page = Awaited<ReturnType<typeof listEvents>>;
type Params = Record<string, string | string[] | undefined>;

/** The list filters a page reads from its query: event type, failures only, search text and page cursor. */
export function eventFilterOf(params: Params) {
  const { search, before } = listQueryOf(params);
  const type = typeof params.type === "string" ? params.type : "";
  return {
    type: type in AUDIT_EVENT_LABELS ? type : undefined,
    failuresOnly: params.failures === "1",
    search: search || undefined,
    before,
  };
}

/**
 * Events as people read them: what happened in words, failures marked, the
 * app by name (its id on hover), times in UTC said so, a filter that works
 * without JavaScript, and older events a page at a time.
 */
export function EventList({
  page,
  filter,
  path,
  label,
  showApp,
  types,
}: {
  page: Page;
  filter: ReturnType<typeof eventFilterOf>;
  path: string;
  label: string;
  showApp: boolean;
  types?: readonly string[];
}) {
  const choices = (types ?? Object.keys(AUDIT_EVENT_LABELS)).map(
    (type) => [type, AUDIT_EVENT_LABELS[type as keyof typeof AUDIT_EVENT_LABELS]] as const,
  );
  const query = new URLSearchParams({
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.failuresOnly ? { failures: "1" } : {}),
    ...(filter.search ? { q: filter.search } : {}),
  });
  return (
    <div>
      <form
        method="get"
        action={path}
        role="search"
        aria-label={`Filter ${label.toLowerCase()}`}
        className="mb-4 flex flex-wrap items-end gap-3"
      >
        <label className="flex min-w-0 max-w-full flex-col text-sm font-medium text-slate-700">
          Show
          <select
            name="type"
            defaultValue={filter.type ?? ""}
            className="mt-1 w-full max-w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
          >
            <option value="">All events</option>
            {choices.map(([type, text]) => (
              <option key={type} value={type}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 max-w-full flex-col text-sm font-medium text-slate-700">
          Search
          <input
            name="q"
            defaultValue={filter.search ?? ""}
            placeholder={showApp ? "Email, app or address" : "Email or address"}
            className="mt-1 w-56 max-w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
          />
        </label>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" name="failures" value="1" defaultChecked={filter.failuresOnly} /> Failures only
        </label>
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50">
          Filter
        </button>
      </form>
      {page.events.length === 0 ? (
        <p className="text-sm text-slate-600">{filter.before ? "No older events." : "Nothing yet."}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" aria-label={label} data-testid="activity">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Time
                </th>
                <th scope="col" className="px-3 py-2">
                  Event
                </th>
                <th scope="col" className="px-3 py-2">
                  Person
                </th>
                {showApp ? (
                  <th scope="col" className="px-3 py-2">
                    App
                  </th>
                ) : null}
                <th scope="col" className="px-3 py-2">
                  {showApp ? "Address" : "Scopes"}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.events.map((event) => (
                <tr key={event.id}>
                  <td className="whitespace-nowrap px-3 py-2 text-slate-600">
                    <time dateTime={event.createdAt.toISOString()}>{formatTime(event.createdAt, { seconds: true })}</time>
                  </td>
                  <td className="px-3 py-2">
                    {event.label}
                    {event.failure ? (
                      <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-800">Failure</span>
                    ) : null}
                    {event.explanation ? <span className="mt-1 block break-words text-xs text-slate-600">{event.explanation}</span> : null}
                  </td>
                  <td className="break-all px-3 py-2">{event.userEmail ?? "—"}</td>
                  {showApp ? (
                    <td className="px-3 py-2">
                      {event.clientId ? (
                        <span title={event.clientId} className="underline decoration-dotted">
                          {event.clientName ?? event.clientId}
                        </span>
                      ) : (
                        "—"
                      )}
                    </td>
                  ) : null}
                  <td className="px-3 py-2 font-mono text-xs">{showApp ? (event.ip ?? "—") : event.scopes || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PageLinks path={path} query={query} before={filter.before} nextBefore={page.nextBefore} noun="events" />
    </div>
  );
}
