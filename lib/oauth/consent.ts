/** When the consent screen must be shown (remembered consent, prompt=consent, first-party apps). */

export type ConsentCheck = { needed: false; skipped: boolean } | { needed: true; newScopes: string[] };

export function checkConsent(input: {
  /** A first-party app asking for an API that allows skipping consent. */
  skipForFirstParty: boolean;
  /** The scopes of the person's active grant to the client, or null when there is none. */
  grantedScopes: readonly string[] | null;
  requestedScopes: readonly string[];
  promptConsent: boolean;
}): ConsentCheck {
  const granted = new Set(input.grantedScopes ?? []);
  const newScopes = input.requestedScopes.filter((scope) => !granted.has(scope));
  // OpenID Connect Core §3.1.2.1: prompt=consent asks again, whatever was remembered.
  if (input.promptConsent) return { needed: true, newScopes };
  // An admin vouched for first-party apps; asking the person would add nothing.
  if (input.skipForFirstParty) return { needed: false, skipped: true };
  if (input.grantedScopes !== null && newScopes.length === 0) return { needed: false, skipped: false };
  return { needed: true, newScopes };
}
