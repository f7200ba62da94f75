import type { Metadata } from "next";
import Link from "next/link";
import { BrandHeader } from "@/components/brand-header";
import { getConfig } from "@/lib/config";

export const metadata: Metadata = { title: "Protecting an API with the portal's tokens" };

const code = "mt-2 overflow-x-auto rounded-md bg-slate-900 p-4 font-mono text-xs leading-relaxed text-slate-100";

/** Public: what a developer needs to make their own API accept the portal's access tokens. */
export default function ApiDocsPage() {
  const { issuer } = getConfig();
  return (
    <main className="mx-auto max-w-3xl px-4 py-10">
      <BrandHeader />
      <h1 className="text-2xl font-semibold tracking-tight">Protecting an API with the portal&apos;s tokens</h1>
      <ol className="mt-6 list-decimal space-y-4 pl-5 text-sm leading-6 text-slate-800">
        <li>
          <Link href="/dashboard/apis/new" className="font-medium text-brand underline-offset-2 hover:underline">
            Register the API
          </Link>{" "}
          with an identifier (an absolute URI such as <code>https://api.example.com</code>, or a name such as <code>appointments:api</code>)
          and the scopes it defines, each with the sentence people read on the consent screen.
        </li>
        <li>
          Apps ask for a token for it by sending <code>audience=&lt;identifier&gt;</code> (or <code>resource=&lt;identifier&gt;</code>, RFC
          8707) to <code>/oauth/authorize</code> and <code>/oauth/token</code>, with the API&apos;s scopes in <code>scope</code>. An
          identifier that is not registered gets <code>invalid_target</code>; a scope the API does not define gets{" "}
          <code>invalid_scope</code>.
        </li>
        <li>
          The access token is a JWT (RFC 9068). The API accepts it only when all of these hold:
          <ul className="mt-2 list-disc space-y-1 pl-5">
            <li>
              the signature verifies with a key from <code>{issuer}/.well-known/jwks.json</code> (fetch again when a token names an unknown{" "}
              <code>kid</code>: keys rotate);
            </li>
            <li>
              the header&apos;s <code>typ</code> is <code>at+jwt</code> (so an ID token is never taken for an access token);
            </li>
            <li>
              <code>iss</code> is <code>{issuer}</code>
            </li>
            <li>
              <code>aud</code> is, or includes, the API&apos;s identifier: a token for another API, the portal&apos;s own included, is
              refused;
            </li>
            <li>
              <code>exp</code> is in the future, and <code>scope</code> (space-separated) holds the scope the route needs; otherwise answer
              403 with <code>WWW-Authenticate: Bearer error=&quot;insufficient_scope&quot;</code>.
            </li>
          </ul>
        </li>
        <li>
          <code>sub</code> is the person (or the app itself for client credentials), <code>client_id</code> the app. A token revoked before
          it expires is still accepted by a signature check; an API that must know at once asks <code>/oauth/introspect</code> (RFC 7662).
        </li>
      </ol>
      <h2 className="mt-8 font-semibold">With jose (Node.js)</h2>
      <pre className={code}>{`import { createRemoteJWKSet, jwtVerify } from "jose";

const jwks = createRemoteJWKSet(new URL("${issuer}/.well-known/jwks.json"));

export async function verify(token, requiredScope) {
  const { payload } = await jwtVerify(token, jwks, {
    issuer: "${issuer}",
    audience: "appointments:api",      // your API's identifier
    typ: "at+jwt",
    algorithms: ["ES256", "RS256", "EdDSA"],
  });
  if (!String(payload.scope ?? "").split(" ").includes(requiredScope)) throw new Error("insufficient_scope");
  return payload;                      // payload.sub, payload.client_id
}`}</pre>
      <p className="mt-3 text-sm text-slate-600">
        A complete example server is <code>examples/api/server.mjs</code> in the portal&apos;s repository; the test suite runs it against
        the portal.
      </p>
    </main>
  );
}
