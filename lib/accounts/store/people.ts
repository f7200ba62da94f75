/** People's accounts: every read and write of the User table. */
import { db, isUniqueViolation, searchNameOf, startingWith } from "@/lib/db";
import { recordedChange, type AuditEventInput } from "@/lib/events";
import { isStorable } from "@/lib/storable";
import { lookup, typedRow, type Row } from "@/lib/sql";
import { Prisma, type User } from "@/lib/generated/prisma/client";

export class EmailTakenError extends Error {
  override name = "EmailTakenError";
  constructor() {
    super("An account with this email already exists");
  }
}

function mapUniqueEmail(error: unknown): never {
  if (isUniqueViolation(error)) throw new EmailTakenError();
  throw error;
}

const USER_COLUMNS = Object.values(Prisma.UserScalarFieldEnum);
const USER_TYPES = { dates: ["disabledAt", "createdAt", "updatedAt", "emailVerifiedAt"], booleans: ["isAdmin"] } as const;

/** `u."id" AS "user.id", …`: a person's columns, named apart, in a statement that selects another table's too. */
export function userColumnsAs(alias: string, prefix: string): string {
  return USER_COLUMNS.map((column) => `${alias}."${column}" AS "${prefix}${column}"`).join(", ");
}

/** The person in a row of a statement that selected them (with `userColumnsAs` when `prefix` is given). */
export function userFromRow(row: Row, prefix = ""): User {
  const columns = prefix ? Object.fromEntries(USER_COLUMNS.map((column) => [column, row[`${prefix}${column}`]])) : row;
  return typedRow<User>(columns, USER_TYPES);
}

const userById = lookup(`SELECT * FROM "User" u`, "u", "id");
const userByEmail = lookup(`SELECT * FROM "User" u`, "u", "email");

/**
 * Read on every signed-in page, every sign-in and every userinfo and
 * /api/v1/me call: on the driver (lib/sql.ts).
 */
export async function findUserById(id: string): Promise<User | null> {
  const row = await userById(id);
  return row ? userFromRow(row) : null;
}

export async function insertUser(data: {
  id: string;
  email: string;
  name?: string | null;
  passwordHash: string;
  isAdmin?: boolean;
  emailVerifiedAt?: Date | null;
}): Promise<User> {
  return db()
    .user.create({ data: { ...data, searchName: data.name ? searchNameOf(data.name) : null } })
    .catch(mapUniqueEmail);
}

export async function updateUser(
  id: string,
  data: { name?: string | null; email?: string; emailVerifiedAt?: Date | null; passwordHash?: string },
): Promise<User> {
  const searchName = data.name === undefined ? {} : { searchName: data.name ? searchNameOf(data.name) : null };
  return db()
    .user.update({ where: { id }, data: { ...data, ...searchName } })
    .catch(mapUniqueEmail);
}

/** A new password: set, and every session of the person ended, in one transaction. */
export async function replacePassword(
  id: string,
  passwordHash: string,
  options: { verifyEmail?: boolean; keepSessionIdHash?: string } = {},
): Promise<void> {
  await db().$transaction([
    db().user.update({ where: { id }, data: { passwordHash, ...(options.verifyEmail ? { emailVerifiedAt: new Date() } : {}) } }),
    db().session.deleteMany({
      where: { userId: id, ...(options.keepSessionIdHash ? { NOT: { idHash: options.keepSessionIdHash } } : {}) },
    }),
  ]);
}

/** The admin who has been one longest, other than `exceptId`: the new owner of a leaving person's apps. */
export function oldestOtherAdmin(exceptId: string): Promise<User | null> {
  return db().user.findFirst({ where: { isAdmin: true, disabledAt: null, NOT: { id: exceptId } }, orderBy: { createdAt: "asc" } });
}

/** Moves a person's apps and APIs to another owner. */
export async function transferOwnership(fromId: string, toId: string): Promise<void> {
  await db().$transaction([
    db().client.updateMany({ where: { ownerId: fromId }, data: { ownerId: toId } }),
    db().api.updateMany({ where: { ownerId: fromId }, data: { ownerId: toId } }),
  ]);
}

/** The account and, by cascade, its sessions, grants, tokens, factors and links. */
export async function deleteUserRow(id: string): Promise<void> {
  await db().user.delete({ where: { id } });
}

export async function findUserByEmail(email: string): Promise<User | null> {
  if (!isStorable(email)) return null;
  const row = await userByEmail(email.trim().toLowerCase());
  return row ? userFromRow(row) : null;
}

/** A page of people whose email or name starts with `search`, ignoring case (none: everyone), in the order `page` gives. */
export function findPeople(search: string, page: Pick<Prisma.UserFindManyArgs, "orderBy" | "take" | "cursor" | "skip">): Promise<User[]> {
  const prefix = searchNameOf(search);
  return db().user.findMany({
    where: search ? { OR: [{ email: startingWith(prefix) }, { searchName: startingWith(prefix) }] } : {},
    ...page,
  });
}

/** An admin's change to a person's role or status, with the event that records it. */
export async function changePerson(
  id: string,
  data: Pick<Prisma.UserUpdateInput, "isAdmin" | "disabledAt">,
  event: AuditEventInput,
): Promise<void> {
  await recordedChange(event, (tx) => tx.user.update({ where: { id }, data }));
}

export async function countPeople(): Promise<number> {
  return db().user.count();
}
