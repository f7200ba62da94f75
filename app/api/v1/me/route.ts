import { apiJson, withApiAuth } from "@/lib/api/with-api-auth";
import { findUserById } from "@/lib/accounts/users";
import { claimsForScopes } from "@/lib/oauth/claims";

/** The person behind the token, with what its scopes release (the same claims as userinfo). */
export const GET = withApiAuth({ requireUser: true }, async (_request, principal) => {
  const user = await findUserById(principal.userId!);
  if (!user) return apiJson({ error: "not_found", error_description: "The account no longer exists" }, { status: 404 });
  return apiJson({ sub: user.id, ...claimsForScopes(user, principal.scopes) });
});
