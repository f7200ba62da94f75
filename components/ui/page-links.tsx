import Link from "next/link";

const linkClass = "font-medium text-brand underline-offset-2 hover:underline";

/** The search and page cursor of a paged list, from its page's query (anything else, or a cursor that is no id, is ignored). */
export function listQueryOf(params: Record<string, string | string[] | undefined>): { search: string; before?: string } {
  const text = (name: string) => (typeof params[name] === "string" ? (params[name] as string) : "");
  return { search: text("q").slice(0, 200), before: /^[0-9a-zA-Z_-]{1,64}$/.test(text("before")) ? text("before") : undefined };
}

/**
 * The links of a newest-first list read a page at a time: back to the newest
 * page once past it, and on to older rows while there are more. The list's
 * own query (search, filters) is kept; only the cursor changes.
 */
export function PageLinks({
  path,
  query,
  before,
  nextBefore,
  noun,
}: {
  path: string;
  query: URLSearchParams;
  before?: string;
  nextBefore: string | null;
  noun: string;
}) {
  const href = (cursor?: string) => {
    const params = new URLSearchParams(query);
    if (cursor) params.set("before", cursor);
    return params.size ? `${path}?${params.toString()}` : path;
  };
  if (!before && !nextBefore) return null;
  return (
    <p className="mt-3 flex gap-4 text-sm">
      {before ? (
        <Link href={href()} className={linkClass}>
          Newest {noun}
        </Link>
      ) : null}
      {nextBefore ? (
        <Link href={href(nextBefore)} className={linkClass}>
          Older {noun}
        </Link>
      ) : null}
    </p>
  );
}
