/**
 * The acr values the portal states in ID tokens (and apps may ask for with
 * acr_values): a second factor was given, or not. The multi-factor value is
 * the OpenID PAPE policy most libraries and hosted providers use.
 */
export const ACR_MFA = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
export const ACR_SINGLE_FACTOR = "urn:identity-portal:single-factor";

/** The acr of a sign-in from its amr (RFC 8176) values. */
export function acrOf(amr: readonly string[]): string {
  return amr.includes("mfa") ? ACR_MFA : ACR_SINGLE_FACTOR;
}
