/** The form field that carries the CSRF token; importable by client components (lib/auth/csrf.ts is server-only). */
export const CSRF_FIELD = "csrf_token";
