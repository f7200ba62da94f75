/**
 * The request and answer of the endpoints apps call at volume (token,
 * revocation, introspection, userinfo, /api/v1, metrics). They are served
 * straight from Node's HTTP server (lib/protocol-routes.ts), and by Next's
 * router under `npm run dev`. Building a WHATWG Request and Response for each
 * call cost several times the rest of the framework work of a token request,
 * so handlers see only what they read of a
 * request and answer with plain data. Next's Request has all of it, so the
 * same handlers serve both.
 */
export type ProtocolRequest = {
  readonly method: string;
  /** The absolute URL. */
  readonly url: string;
  readonly headers: HeaderReader;
  /** The body as UTF-8 text (a leading byte-order mark dropped, as Request.text() does). */
  text(): Promise<string>;
};

/** What header readers need: Web Headers and the fast path's both have it. */
export type HeaderReader = { get(name: string): string | null };

export type Answer = { status: number; headers: Record<string, string>; body: string };

export type ProtocolHandler<Context = unknown> = (request: ProtocolRequest, context: Context) => Promise<Answer>;

/** A Next route handler serving a protocol handler; it carries the handler for the fast path. */
export type RouteHandler<Context = unknown> = ((request: Request, context: Context) => Promise<Response>) & {
  protocol: ProtocolHandler<Context>;
};

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

/** A JSON answer that is never cached. */
export function jsonAnswer(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Answer {
  return {
    status: init.status ?? 200,
    headers: { "Content-Type": "application/json", ...NO_STORE, ...init.headers },
    body: JSON.stringify(body),
  };
}

export function routeHandler<Context = unknown>(handler: ProtocolHandler<Context>): RouteHandler<Context> {
  const serve = async (request: Request, context: Context) => {
    const { status, headers, body } = await handler(request, context);
    // A 204 has no body, not even an empty one (the Response constructor refuses it).
    return new Response(status === 204 ? null : body, { status, headers });
  };
  return Object.assign(serve, { protocol: handler });
}
