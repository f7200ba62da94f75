/** Every kind of event, with the words the activity and audit lists show for it. */
export const AUDIT_EVENT_LABELS = {
  "user.signed_up": "Signed up",
  "user.sign_up_requested": "Sign-up requested",
  "user.password_reset_requested": "Password reset requested",
  "user.password_reset": "Password reset",
  "user.password_changed": "Password changed",
  "user.profile_updated": "Profile updated",
  "user.email_verification_requested": "Email confirmation requested",
  "user.email_verified": "Email confirmed",
  "user.email_changed": "Email changed",
  "user.second_factor_enabled": "Second factor turned on",
  "user.second_factor_disabled": "Second factor turned off",
  "user.recovery_code_used": "Recovery code used",
  "user.passkey_added": "Passkey added",
  "user.passkey_removed": "Passkey removed",
  "user.deleted": "Account deleted",
  "user.invited": "Person invited",
  "user.role_changed": "Admin role changed",
  "settings.updated": "Settings changed",
  "user.signed_in": "Signed in",
  "user.sign_in_failed": "Sign-in failed",
  "user.sign_in_throttled": "Sign-in throttled",
  "client.created": "App registered",
  "client.updated": "App updated",
  "client.secret_rotated": "Secret rotated",
  "client.disabled": "App disabled",
  "client.enabled": "App enabled",
  "client.deleted": "App deleted",
  "grant.revoked": "Access revoked",
  "user.disabled": "Person disabled",
  "user.enabled": "Person enabled",
  "scope.saved": "Scope saved",
  "api.created": "API registered",
  "api.updated": "API updated",
  "api.deleted": "API deleted",
  "user.signed_out": "Signed out",
  "registration_token.created": "Registration token created",
  "registration_token.deleted": "Registration token deleted",
  "logout.backchannel_delivered": "Back-channel logout delivered",
  "logout.backchannel_failed": "Back-channel logout failed",
  "authorization.approved": "Authorization approved",
  "authorization.denied": "Authorization denied",
  "token.issued": "Token issued",
  "token.refreshed": "Token refreshed",
  "token.revoked": "Token revoked",
  "token.refresh_reuse_detected": "Refresh token reused (family revoked)",
  "token.code_reuse_detected": "Authorization code reused (tokens revoked)",
  "request.failed": "Request failed",
} as const;

export type AuditEventType = keyof typeof AUDIT_EVENT_LABELS;

/** The events that are failures or refusals, which the lists can show alone. */
export const FAILURE_EVENTS: readonly AuditEventType[] = [
  "request.failed",
  "user.sign_in_failed",
  "user.sign_in_throttled",
  "authorization.denied",
  "token.refresh_reuse_detected",
  "token.code_reuse_detected",
  "logout.backchannel_failed",
];

export function eventLabel(type: string): string {
  return type in AUDIT_EVENT_LABELS ? AUDIT_EVENT_LABELS[type as AuditEventType] : type;
}
