/**
 * The page /oauth/authorize shows when it cannot trust the redirect URI, so it
 * must not redirect (RFC 6749 §4.1.2.1). Route handlers cannot render React,
 * so this is escaped HTML with its own small stylesheet.
 */
import { html, SafeHtml } from "@/lib/html";
import { PENDING_LIFETIME_MINUTES, type ErrorPage } from "@/lib/oauth/authorize";
import { closestRedirectUri, markDifference } from "@/lib/oauth/redirect-uri";

type Brand = { name: string; iconUrl: string; color: string };

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f8fafc;color:#0f172a;line-height:1.5}
main{min-height:100vh;display:flex;align-items:center;justify-content:center;padding:2.5rem 1rem}
.card{width:100%;max-width:40rem;background:#fff;border:1px solid #e2e8f0;border-radius:.75rem;padding:2rem;box-shadow:0 1px 2px rgb(0 0 0/.05)}
.brand{display:flex;align-items:center;gap:.75rem;margin-bottom:1.5rem;font-weight:600;font-size:1.125rem}
.brand img{width:36px;height:36px;border-radius:.5rem}
h1{font-size:1.5rem;margin:0 0 .75rem;letter-spacing:-.01em}h2{font-size:1rem;margin:0}p{margin:.5rem 0;color:#334155}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.875rem;word-break:break-all;background:#f1f5f9;border-radius:.25rem;padding:.1rem .3rem}
mark{background:#fecaca;color:#7f1d1d;border-radius:.2rem;padding:0 .1rem}
.owner{margin-top:1.5rem;border-top:4px solid var(--brand);padding-top:1rem}
table{width:100%;border-collapse:collapse;margin-top:.5rem;font-size:.875rem}th,td{text-align:left;vertical-align:top;padding:.5rem;border-bottom:1px solid #e2e8f0}th{width:10rem;color:#475569;font-weight:600}
.hint{font-size:.875rem;color:#475569}
`;

const GO_BACK = "Go back to the app you came from and try again. If this keeps happening, tell the app's developer.";

function uri(text: string, comparedWith?: string): SafeHtml {
  if (comparedWith === undefined) return html`<code>${text}</code>`;
  const segments = markDifference(text, comparedWith).map((segment) =>
    segment.differs ? html`<mark>${segment.text}</mark>` : html`${segment.text}`,
  );
  return html`<code>${segments}</code>`;
}

function explain(problem: ErrorPage["problem"], brandName: string): { title: string; body: SafeHtml } {
  switch (problem.kind) {
    case "missing_client_id":
      return {
        title: "This sign-in link is incomplete",
        body: html`<p>The link does not say which app is asking (it has no client_id). ${GO_BACK}</p>`,
      };
    case "duplicate_client_id":
      return { title: "This sign-in link is malformed", body: html`<p>The link names more than one app (client_id). ${GO_BACK}</p>` };
    case "unknown_client":
      return {
        title: "This app is not registered",
        body: html`<p>No app with the id ${uri(problem.clientId)} is registered with ${brandName}, so you cannot sign in to it from here. ${GO_BACK}</p>`,
      };
    case "client_disabled":
      return {
        title: `${problem.client.name} has been turned off`,
        body: html`<p>Its developer or an administrator disabled it, so it cannot ask you to sign in. Contact the app's developer.</p>`,
      };
    case "missing_redirect_uri":
      return {
        title: `${problem.client.name} did not say where to send you back`,
        body: html`<p>The app has more than one return address registered and the link names none of them (redirect_uri). ${GO_BACK}</p>`,
      };
    case "duplicate_redirect_uri":
      return {
        title: "This sign-in link is malformed",
        body: html`<p>The link names more than one return address (redirect_uri). ${GO_BACK}</p>`,
      };
    case "redirect_uri_mismatch":
      return {
        title: `${problem.client.name} asked to send you to an address it has not registered`,
        body: html`<p>For your safety you were not sent there. The address in the link was:</p><p>${uri(problem.requested)}</p><p>${GO_BACK}</p>`,
      };
    case "playground_not_owner":
      return {
        title: `Only the developer of ${problem.client.name} can use its playground`,
        body: html`<p>This request asked to come back to the app's playground on ${brandName}, which only the app's owner may use. No code was issued. If you meant to sign in to the app, start from the app itself.</p>`,
      };
    case "request_expired":
      return {
        title: "This request has expired or was already answered",
        body: html`<p>Sign-in requests wait ${PENDING_LIFETIME_MINUTES} minutes and are answered once. Go back to the app you came from and start again.</p>`,
      };
  }
}

/** For the app's owner: the requested URI beside the registered ones, the difference marked. */
function ownerComparison(requested: string, registered: string[]): SafeHtml {
  const closest = closestRedirectUri(requested, registered);
  const rows = registered.map(
    (registeredUri) =>
      html`<tr><th scope="row">${registeredUri === closest ? "Registered (closest)" : "Registered"}</th><td>${uri(registeredUri, registeredUri === closest ? requested : undefined)}</td></tr>`,
  );
  return html`<section class="owner" aria-labelledby="owner-heading" data-testid="owner-comparison">
<h2 id="owner-heading">You own this app</h2>
<p class="hint">A redirect URI must match a registered one exactly, character for character. The difference from the closest registered URI is marked.</p>
<table><tbody><tr><th scope="row">Requested</th><td>${uri(requested, closest)}</td></tr>${rows}</tbody></table>
<p class="hint">Fix the link your app builds, or register the requested address in the developer dashboard.</p>
</section>`;
}

export function renderAuthorizationErrorPage(page: ErrorPage, brand: Brand): string {
  const { title, body } = explain(page.problem, brand.name);
  const comparison =
    page.problem.kind === "redirect_uri_mismatch" && page.registeredRedirectUris
      ? ownerComparison(page.problem.requested, page.registeredRedirectUris)
      : null;
  return html`<!DOCTYPE html>
<html lang="en" style="--brand:${brand.color}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · ${brand.name}</title>
<link rel="icon" href="${brand.iconUrl}">
<style>${new SafeHtml(STYLE)}</style>
</head>
<body><main><div class="card">
<div class="brand"><img src="${brand.iconUrl}" alt="" width="36" height="36"><span>${brand.name}</span></div>
<div role="alert"><h1>${title}</h1>${body}</div>
${comparison}
</div></main></body>
</html>`.value;
}
