/** When the consent screen must be shown (remembered consent, prompt=consent, first-party apps). */

export type ConsentCheck = { needed: false } | { needed: true; newScopes: string[] };

export function checkConsent(input: {
  isFirstParty: boolean;
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
  if (input.isFirstParty) return { needed: false };
  if (input.grantedScopes !== null && newScopes.length === 0) return { needed: false };
  return { needed: true, newScopes };
}
