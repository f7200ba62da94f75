/**
 * OpenID Connect Core §5.4: the claims each scope releases about a person,
 * the same in ID tokens, at userinfo and at /api/v1/me.
 */
export function claimsForScopes(
  user: { email: string; name: string | null; emailVerifiedAt: Date | null },
  scopes: readonly string[],
): Record<string, unknown> {
  return {
    ...(scopes.includes("email") ? { email: user.email, email_verified: user.emailVerifiedAt !== null } : {}),
    ...(scopes.includes("profile") && user.name ? { name: user.name } : {}),
  };
}
