/**
 * The authorization endpoint's flow (RFC 6749 §4.1, RFC 9207, OpenID Connect
 * Core §3.1.2): validate, then sign in, then consent, then a code. A request
 * that must wait for the person is kept server-side (PendingAuthorization);
 * the browser carries only its handle, so nothing can alter it on the way.
 */
import { accountStepLocation, pendingAccountStep } from "@/lib/auth/assurance";
import { isPlaygroundRedirect } from "@/lib/oauth/playground";
import { getConfig } from "@/lib/config";
import {
  clientIdOf,
  namedApiIdentifier,
  validateAuthorizationRequest,
  type AuthorizationClient,
  type AuthorizationPolicy,
  type AuthorizationProblem,
  type AuthorizationRequest,
} from "@/lib/oauth/authorization-request";
import { defaultApiFor, findResourceApi, IDENTITY_SCOPES } from "@/lib/oauth/apis";
import { checkConsent } from "@/lib/oauth/consent";
import { OAuthError, safeErrorDescription } from "@/lib/oauth/errors";
import { redirectWithParams } from "@/lib/oauth/redirect-uri";
import {
  clientOwnerName,
  denyPendingAuthorization,
  findActiveGrant,
  findAuthorizationClient,
  findPendingAuthorization,
  issueAuthorizationCode,
  PendingAuthorizationGoneError,
  savePendingAuthorization,
  toPendingRequest,
  type PendingRequest,
} from "@/lib/oauth/store/authorizations";
import { savePushedRequest, takePushedRequest } from "@/lib/oauth/store/pushed-requests";
import { parseScope } from "@/lib/oauth/scopes";

/** The signed-in person as the flow needs them, or null when signed out. */
export type Viewer = { userId: string; authTime: number; sid?: string; amr?: string[] } | null;

export type ErrorPage = {
  problem: AuthorizationProblem | { kind: "request_expired" };
  /** Only for the app's owner: what is registered, to compare with what was sent. */
  registeredRedirectUris?: string[];
};

export type AuthorizeOutcome = { type: "redirect"; location: string } | { type: "error_page"; page: ErrorPage };

export const RESUME_PATH = "/oauth/authorize/resume";

/** How long a request waits for the person to sign in and answer, for the pages that say so. */
export { PENDING_LIFETIME_MINUTES } from "@/lib/oauth/store/authorizations";

/** The APIs come from a cache with a bounded staleness (lib/oauth/store/apis.ts). */
async function loadPolicy(params: URLSearchParams, pushed: boolean): Promise<AuthorizationPolicy> {
  const named = namedApiIdentifier(params);
  if (named !== undefined)
    return { requirePkce: getConfig().requirePkce, namedApi: await findResourceApi(named), defaultApi: null, pushed };
  const inferred = await defaultApiFor(params.get("scope") ?? undefined);
  return { requirePkce: getConfig().requirePkce, namedApi: null, defaultApi: inferred, pushed };
}

/** RFC 9126 §2.2: a pushed request lives briefly; the app sends the person to authorize at once. */
const PUSHED_REQUEST_SECONDS = 90;
const REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

/**
 * POST /oauth/par: validates the request as /oauth/authorize would (for the
 * authenticated app) and keeps it; problems are answered to the app as OAuth
 * errors, since nothing is redirected from here.
 */
export async function pushAuthorizationRequest(
  params: URLSearchParams,
  clientId: string,
): Promise<{ request_uri: string; expires_in: number }> {
  if (params.has("request_uri")) throw new OAuthError("invalid_request", "request_uri cannot be pushed");
  const client = await findAuthorizationClient(clientId);
  const validation = validateAuthorizationRequest(params, client, await loadPolicy(params, true));
  if (validation.outcome === "error_redirect") throw validation.error;
  if (validation.outcome === "error_page") {
    const description =
      validation.problem.kind === "redirect_uri_mismatch"
        ? "redirect_uri is not registered for this app"
        : `The request cannot be used (${validation.problem.kind})`;
    throw new OAuthError("invalid_request", description);
  }
  const handle = await savePushedRequest(clientId, params, PUSHED_REQUEST_SECONDS);
  return { request_uri: `${REQUEST_URI_PREFIX}${handle}`, expires_in: PUSHED_REQUEST_SECONDS };
}

function redirectTo(location: string): AuthorizeOutcome {
  return { type: "redirect", location };
}

/** RFC 9207: every response to the client names the issuer. */
function clientRedirect(redirectUri: string, params: Record<string, string | undefined>): AuthorizeOutcome {
  return redirectTo(redirectWithParams(redirectUri, { ...params, iss: getConfig().issuer }));
}

function errorRedirect(redirectUri: string, state: string | undefined, error: OAuthError): AuthorizeOutcome {
  return clientRedirect(redirectUri, { error: error.code, error_description: safeErrorDescription(error.description), state });
}

function errorPage(problem: ErrorPage["problem"], viewer: Viewer): AuthorizeOutcome {
  const client = "client" in problem ? problem.client : null;
  const isOwner = client !== null && viewer !== null && client.ownerId === viewer.userId;
  return { type: "error_page", page: { problem, registeredRedirectUris: isOwner ? client.redirectUris : undefined } };
}

function resumePath(handle: string): string {
  return `${RESUME_PATH}?request=${encodeURIComponent(handle)}`;
}

function signInLocation(handle: string, request: PendingRequest): string {
  const query = new URLSearchParams({ returnTo: resumePath(handle) });
  if (request.loginHint) query.set("login_hint", request.loginHint);
  // Tells the sign-in page to ask even someone already signed in.
  if (request.signInNotBefore) query.set("prompt", "login");
  return `/sign-in?${query.toString()}`;
}

function needsSignIn(request: PendingRequest, viewer: Viewer): viewer is null {
  if (viewer === null) return true;
  // auth_time has whole seconds, so a sign-in in the same second as the request does not count;
  // a person cannot sign in that fast, and the worst case is being asked once more.
  return request.signInNotBefore !== null && viewer.authTime * 1000 < request.signInNotBefore.getTime();
}

/** The playground's redirect URI serves the app's owner only: anyone else gets an error page, never a code. */
function notOwnersPlayground(request: AuthorizationRequest, viewer: NonNullable<Viewer>): boolean {
  return isPlaygroundRedirect(request.client.id, request.redirectUri) && request.client.ownerId !== viewer.userId;
}

/** A second factor or a confirmed email the request or the portal asks for, and this session lacks. */
function accountStepFor(request: AuthorizationRequest, viewer: NonNullable<Viewer>) {
  return pendingAccountStep({ userId: viewer.userId, amr: viewer.amr ?? [] }, request);
}

/** Whether the screen must be shown, and whether the person authorized the app for this API before. */
async function consentFor(request: AuthorizationRequest, userId: string) {
  const grant = await findActiveGrant(userId, request.client.id, request.api.id);
  const consent = checkConsent({
    // Seed 003: first-party apps skip consent only for APIs that allow it.
    skipForFirstParty: request.client.isFirstParty && request.api.allowSkipConsent,
    grantedScopes: grant ? parseScope(grant.scopes) : null,
    requestedScopes: request.scopes,
    promptConsent: request.prompt.includes("consent"),
  });
  return { ...consent, returning: grant !== null };
}

/** Runs an answer to a pending request; if another answer got there first, the request is over. */
async function unlessAnswered(viewer: Viewer, answer: () => Promise<AuthorizeOutcome>): Promise<AuthorizeOutcome> {
  try {
    return await answer();
  } catch (error) {
    if (error instanceof PendingAuthorizationGoneError) return errorPage({ kind: "request_expired" }, viewer);
    throw error;
  }
}

async function issueCode(
  request: AuthorizationRequest,
  viewer: NonNullable<Viewer>,
  context: { ip: string; consent: string; pendingHandle?: string },
) {
  const code = await issueAuthorizationCode(
    {
      request,
      userId: viewer.userId,
      authTime: viewer.authTime,
      sid: viewer.sid,
      amr: viewer.amr,
      pendingHandle: context.pendingHandle,
      event: { type: "authorization.approved", ip: context.ip, details: { consent: context.consent } },
    },
    getConfig().ttl.authorizationCode,
  );
  return clientRedirect(request.redirectUri, { code, state: request.state });
}

/** GET or POST /oauth/authorize. */
export async function startAuthorization(sent: URLSearchParams, viewer: Viewer, ip: string): Promise<AuthorizeOutcome> {
  const id = clientIdOf(sent);
  // RFC 9126 §4: a request_uri stands for the pushed parameters, and only those count.
  const requestUri = sent.get("request_uri");
  const pushed =
    requestUri?.startsWith(REQUEST_URI_PREFIX) && "clientId" in id
      ? await takePushedRequest(requestUri.slice(REQUEST_URI_PREFIX.length), id.clientId)
      : null;
  if (requestUri && !pushed) return errorPage({ kind: "request_expired" }, viewer);
  const params = pushed ?? sent;
  const client = "clientId" in id ? await findAuthorizationClient(id.clientId) : null;
  const validation = validateAuthorizationRequest(params, client, await loadPolicy(params, pushed !== null));
  if (validation.outcome === "error_page") return errorPage(validation.problem, viewer);
  if (validation.outcome === "error_redirect") return errorRedirect(validation.redirectUri, validation.state, validation.error);

  const request = validation.request;
  const now = new Date();
  const tooOld = request.maxAge !== undefined && viewer !== null && now.getTime() / 1000 - viewer.authTime > request.maxAge;
  const pending: PendingRequest = { ...request, signInNotBefore: request.prompt.includes("login") || tooOld ? now : null };

  if (request.prompt.includes("none")) {
    // OpenID Connect Core §3.1.2.6: with prompt=none nothing may be shown.
    if (needsSignIn(pending, viewer))
      return errorRedirect(request.redirectUri, request.state, new OAuthError("login_required", "The person is not signed in"));
    if (notOwnersPlayground(request, viewer)) return errorPage({ kind: "playground_not_owner", client: request.client }, viewer);
    if (await accountStepFor(request, viewer)) {
      return errorRedirect(
        request.redirectUri,
        request.state,
        new OAuthError("interaction_required", "The person must give a second factor or confirm their email first"),
      );
    }
    if ((await consentFor(request, viewer.userId)).needed) {
      return errorRedirect(
        request.redirectUri,
        request.state,
        new OAuthError("consent_required", "The person has not authorized these scopes"),
      );
    }
    return issueCode(request, viewer, { ip, consent: "remembered" });
  }
  return continueWith(pending, viewer, { ip });
}

/** Signs in, asks for consent or issues the code, whichever comes next. */
async function continueWith(request: PendingRequest, viewer: Viewer, context: { ip: string; handle?: string }): Promise<AuthorizeOutcome> {
  if (needsSignIn(request, viewer)) {
    const handle = context.handle ?? (await savePendingAuthorization(request));
    return redirectTo(signInLocation(handle, request));
  }
  if (notOwnersPlayground(request, viewer)) return errorPage({ kind: "playground_not_owner", client: request.client }, viewer);
  const step = await accountStepFor(request, viewer);
  if (step) return redirectTo(accountStepLocation(step, resumePath(context.handle ?? (await savePendingAuthorization(request)))));
  const consent = await consentFor(request, viewer.userId);
  if (consent.needed) {
    const handle = context.handle ?? (await savePendingAuthorization(request));
    return redirectTo(`/consent?request=${encodeURIComponent(handle)}`);
  }
  return unlessAnswered(viewer, () =>
    issueCode(request, viewer, { ip: context.ip, consent: consent.skipped ? "first_party" : "remembered", pendingHandle: context.handle }),
  );
}

/** The request behind a handle; a client disabled, or an API deleted, meanwhile gets nothing more. */
async function pendingRequest(handle: string): Promise<PendingRequest | null> {
  const pending = await findPendingAuthorization(handle);
  if (!pending) return null;
  const [client, api] = await Promise.all([findAuthorizationClient(pending.clientId), findResourceApi(pending.audience)]);
  if (!client || client.disabledAt || !api) return null;
  return toPendingRequest(pending, client, api);
}

/** GET /oauth/authorize/resume: where sign-in hands the request back. */
export async function resumeAuthorization(handle: string, viewer: Viewer, ip: string): Promise<AuthorizeOutcome> {
  const request = await pendingRequest(handle);
  if (!request) return errorPage({ kind: "request_expired" }, viewer);
  return continueWith(request, viewer, { ip, handle });
}

/** POST from the consent screen: Authorize or Deny. */
export async function answerConsent(handle: string, viewer: Viewer, approved: boolean, ip: string): Promise<AuthorizeOutcome> {
  const request = await pendingRequest(handle);
  if (!request) return errorPage({ kind: "request_expired" }, viewer);
  if (needsSignIn(request, viewer)) return redirectTo(signInLocation(handle, request));
  if (notOwnersPlayground(request, viewer)) return errorPage({ kind: "playground_not_owner", client: request.client }, viewer);
  const step = await accountStepFor(request, viewer);
  if (step) return redirectTo(accountStepLocation(step, resumePath(handle)));
  return unlessAnswered(viewer, async () => {
    if (approved) return issueCode(request, viewer, { ip, consent: "given", pendingHandle: handle });
    await denyPendingAuthorization(handle, {
      type: "authorization.denied",
      clientId: request.client.id,
      userId: viewer.userId,
      scopes: request.scopes,
      ip,
    });
    return errorRedirect(request.redirectUri, request.state, new OAuthError("access_denied", "The person denied the request"));
  });
}

export type ConsentScreen =
  | { kind: "expired" }
  | { kind: "redirect"; location: string }
  | {
      kind: "ask";
      client: Pick<AuthorizationClient, "name" | "logoUrl">;
      /** Who registered the app: its owner, or null when the portal's operators did. */
      madeBy: string | null;
      /** The app registered itself without an initial access token (open dynamic registration): nobody vouched for it. */
      unverified: boolean;
      /** The API the token is for; its scopes are listed under its name, the identity scopes apart. */
      api: { name: string; identifier: string; isPortal: boolean };
      scopes: { name: string; description: string; isNew: boolean; identity: boolean }[];
      /** True when the person authorized this app before (so only some scopes are new). */
      returning: boolean;
      /** Where Authorize or Deny will send the person: a host, or a native app's scheme. */
      destination: string;
    };

/** What the consent page shows for a pending request. */
export async function consentScreen(handle: string, viewer: Viewer): Promise<ConsentScreen> {
  const request = await pendingRequest(handle);
  if (!request) return { kind: "expired" };
  if (needsSignIn(request, viewer)) return { kind: "redirect", location: signInLocation(handle, request) };
  if (notOwnersPlayground(request, viewer)) return { kind: "expired" };
  const step = await accountStepFor(request, viewer);
  if (step) return { kind: "redirect", location: accountStepLocation(step, resumePath(handle)) };
  const consent = await consentFor(request, viewer.userId);
  // Answered meanwhile (in another tab, say): the resume step issues the code.
  if (!consent.needed) return { kind: "redirect", location: resumePath(handle) };

  const madeBy = await clientOwnerName(request.client.ownerId);
  const newScopes = new Set(consent.newScopes);
  const { api } = request;
  return {
    kind: "ask",
    client: { name: request.client.name, logoUrl: request.client.logoUrl },
    madeBy,
    unverified: request.client.registeredVia === "open",
    api: { name: api.name, identifier: api.identifier, isPortal: api.isPortal },
    scopes: request.scopes.map((name) => ({
      name,
      description: api.scopes.get(name)?.description ?? name,
      isNew: newScopes.has(name),
      identity: IDENTITY_SCOPES.has(name),
    })),
    returning: consent.returning,
    destination: destinationOf(request.redirectUri),
  };
}

function destinationOf(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.host || url.protocol.slice(0, -1);
}

/** The app a pending request comes from, for the sign-in page to name it. */
export async function pendingClientName(handle: string): Promise<string | null> {
  return (await pendingRequest(handle))?.client.name ?? null;
}
