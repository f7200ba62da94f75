/** What administrators do from /admin: users, all apps, the portal API's scopes. Callers check the admin role. */
import { z } from "zod";
import { revokeAllConnections } from "@/lib/accounts/connections";
import { eraseAccount } from "@/lib/accounts/profile";
import { mailPasswordLink } from "@/lib/accounts/recovery";
import { createUser, EmailTakenError, emailSchema, findUserById, nameSchema } from "@/lib/accounts/users";
import { getConfig } from "@/lib/config";
import { randomToken } from "@/lib/crypto";
import { recordEvent } from "@/lib/events";
import type { Client, User } from "@/lib/generated/prisma/client";
import { isValidScopeToken } from "@/lib/oauth/scopes";
import { findApiById, PORTAL_API_ID, saveApiScope } from "@/lib/oauth/store/apis";
import { changeClient, findClients } from "@/lib/oauth/store/clients";
import { changePerson, findPeople } from "@/lib/accounts/store/people";
import { createInitialAccessToken, deleteInitialAccessToken } from "@/lib/oauth/store/initial-access-tokens";
import { deleteSessionsOf } from "@/lib/auth/store/sessions";
import { OAuthError } from "@/lib/oauth/errors";

/** A change the portal's rules refuse (the last admin, one's own role): 409 refused on the management API. */
export class AdminRuleError extends OAuthError {
  override name = "AdminRuleError";
  constructor(description: string) {
    super("refused", description);
  }
}

/** How many rows an admin list shows at a time (screens and the management API's default). */
export const ADMIN_PAGE_SIZE = 50;

/** A search of an admin list, newest first, a page at a time: `before` is the previous page's `nextBefore`. */
export type ListQuery = { search?: string; before?: string; limit?: number };
export type ListPage<T> = { rows: T[]; nextBefore: string | null };

/** Prisma's arguments for the page after the row `before` (newest first; the id breaks ties of createdAt). */
function pageArgs({ before, limit = ADMIN_PAGE_SIZE }: ListQuery) {
  return {
    orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }],
    take: limit + 1,
    ...(before ? { cursor: { id: before }, skip: 1 } : {}),
  };
}

function pageOf<T extends { id: string }>(rows: T[], { limit = ADMIN_PAGE_SIZE }: ListQuery): ListPage<T> {
  return { rows: rows.slice(0, limit), nextBefore: rows.length > limit ? rows[limit - 1]!.id : null };
}

/** The text searched for: trimmed, without NUL (which PostgreSQL refuses in text). */
function searchText(query: ListQuery): string {
  return (query.search ?? "").replaceAll("\u0000", "").trim();
}

/** People whose email or name contains the search, newest first. */
export async function searchUsers(query: ListQuery = {}): Promise<ListPage<User>> {
  const q = searchText(query);
  return pageOf(await findPeople(q, pageArgs(query)), query);
}

/** The person a form names (its userId field), or a refusal the admin reads. */
export async function personNamedIn(form: FormData): Promise<User> {
  const user = await findUserById(String(form.get("userId") ?? ""));
  if (!user) throw new AdminRuleError("That account no longer exists.");
  return user;
}

export const newPersonSchema = z.object({
  email: emailSchema,
  name: nameSchema.optional().transform((name) => name || undefined),
  isAdmin: z.boolean().default(false),
});

/**
 * An account made by an admin: no password anyone knows until its owner
 * chooses one from the invitation mail (a link that works once, for 7 days;
 * using it also confirms the email).
 */
export async function invitePerson(input: z.input<typeof newPersonSchema>, admin: User): Promise<User> {
  const { email, name, isAdmin } = newPersonSchema.parse(input);
  if (!getConfig().mail.available)
    throw new AdminRuleError(
      "Invitations need mail, which this portal cannot send: create the account with the CLI (user create) instead.",
    );
  let user: User;
  try {
    user = await createUser({ email, name, isAdmin, password: randomToken(32) });
  } catch (error) {
    if (error instanceof EmailTakenError) throw new AdminRuleError(`${email} already has an account.`);
    throw error;
  }
  await mailPasswordLink(user, { invitedBy: admin.name ?? admin.email });
  await recordEvent({ type: "user.invited", userId: admin.id, details: { targetUserId: user.id, email, isAdmin } });
  return user;
}

/** Makes a person an admin, or no longer one; nobody changes their own role (so the portal always keeps the admin doing it). */
export async function setUserAdmin(user: User, isAdmin: boolean, admin: User): Promise<void> {
  if (user.id === admin.id) throw new AdminRuleError("You cannot change your own role.");
  await changePerson(user.id, { isAdmin }, { type: "user.role_changed", userId: admin.id, details: { targetUserId: user.id, isAdmin } });
}

/** A password reset link mailed to the person (the same as their own "Forgot password"). */
export async function sendPasswordResetFor(user: User, admin: User): Promise<void> {
  if (!getConfig().mail.available) throw new AdminRuleError("This portal cannot send mail.");
  if (user.disabledAt) throw new AdminRuleError("Enable the account first.");
  await mailPasswordLink(user);
  await recordEvent({ type: "user.password_reset_requested", userId: admin.id, details: { targetUserId: user.id, byAdmin: true } });
}

/** Deletes a person; their apps and APIs become the deleting admin's. */
export async function deletePerson(user: User, admin: User): Promise<void> {
  if (user.id === admin.id) throw new AdminRuleError("Delete your own account from your account page.");
  await eraseAccount(user, admin);
  await recordEvent({ type: "user.deleted", userId: admin.id, details: { targetUserId: user.id, email: user.email, handedTo: admin.id } });
}

/** Disabling a person ends their sessions and revokes every app's access to them. */
export async function setUserDisabled(user: User, disabled: boolean, admin: User): Promise<void> {
  if (user.id === admin.id) throw new AdminRuleError("You cannot disable your own account.");
  await changePerson(
    user.id,
    { disabledAt: disabled ? new Date() : null },
    { type: disabled ? "user.disabled" : "user.enabled", userId: admin.id, details: { targetUserId: user.id } },
  );
  if (disabled) {
    await deleteSessionsOf(user.id);
    await revokeAllConnections(user.id, "user_disabled");
  }
}

/** Apps whose name or owner's email contains the search, or whose client_id it is; newest first, with owner and redirect URIs. */
export async function searchClients(query: ListQuery = {}) {
  const q = searchText(query);
  return pageOf(await findClients(q, pageArgs(query)), query);
}

/** First-party apps skip consent: only an admin (or the CLI) decides that. */
export async function setClientFirstParty(client: Client, firstParty: boolean, admin: User): Promise<void> {
  await changeClient(
    client.id,
    { type: "client.updated", clientId: client.id, userId: admin.id, details: { firstParty } },
    { isFirstParty: firstParty },
  );
}

export const scopeSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Enter a name")
    .max(100, "Name is too long")
    .refine(isValidScopeToken, "Use letters, digits and punctuation, without spaces or quotes"),
  description: z.string().trim().min(1, "Enter the sentence people read on the consent screen").max(200, "Keep it under 200 characters"),
  tokenKind: z.enum(["user", "client", "any"]),
});

/** The scopes of the portal's own API: the identity scopes and those of /api/v1. */
export async function listPortalScopes() {
  return (await findApiById(PORTAL_API_ID))?.scopes ?? [];
}

/** Adds a scope to the portal's own API, or edits one's description and token kind. */
export async function saveScope(input: z.input<typeof scopeSchema>, admin: User, options: { create: boolean }): Promise<void> {
  const scope = scopeSchema.parse(input);
  const existing = (await listPortalScopes()).some((known) => known.name === scope.name);
  if (options.create && existing) throw new AdminRuleError(`The scope ${scope.name} already exists.`);
  if (!options.create && !existing) throw new AdminRuleError(`There is no scope ${scope.name}.`);
  await saveApiScope(PORTAL_API_ID, scope);
  await recordEvent({ type: "scope.saved", userId: admin.id, details: scope });
}

export const initialAccessTokenSchema = z.object({
  label: z.string().trim().min(1, "Say what the token is for").max(100, "Keep the label under 100 characters"),
  uses: z.coerce.number().int().min(1, "At least one use").max(10_000, "At most 10000 uses"),
  days: z.coerce.number().int().min(1, "At least one day").max(365, "At most 365 days"),
});

/** An initial access token for dynamic client registration; the token is returned only here. */
export async function createRegistrationToken(input: z.input<typeof initialAccessTokenSchema>, admin: User) {
  const values = initialAccessTokenSchema.parse(input);
  const created = await createInitialAccessToken({ ...values, createdById: admin.id });
  await recordEvent({
    type: "registration_token.created",
    userId: admin.id,
    details: { label: values.label, uses: values.uses, days: values.days },
  });
  return created;
}

export async function deleteRegistrationToken(id: string, admin: User): Promise<void> {
  await deleteInitialAccessToken(id);
  await recordEvent({ type: "registration_token.deleted", userId: admin.id, details: { id } });
}
