import type { Metadata } from "next";
import { ConfirmField, confirmButtonClass, ConfirmStep } from "@/components/ui/confirm-step";
import { listQueryOf, PageLinks } from "@/components/ui/page-links";
import { searchUsers } from "@/lib/admin";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { requireAdmin } from "@/lib/auth/guards";
import type { User } from "@/lib/generated/prisma/client";
import { addressOf, AdminFrame, AdminTable, cellClass, FilterForm, smallButton } from "./admin-frame";

export const metadata: Metadata = { title: "Admin · Users" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** A post to one of the user routes, naming the person. */
function UserForm({
  action,
  csrf,
  user,
  fields = {},
  confirmed,
  label,
  className = smallButton,
}: {
  action: string;
  csrf: string;
  user: User;
  fields?: Record<string, string>;
  confirmed?: boolean;
  label: React.ReactNode;
  className?: string;
}) {
  return (
    <form method="post" action={action}>
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      <input type="hidden" name="userId" value={user.id} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {confirmed ? <ConfirmField /> : null}
      <button type="submit" className={className}>
        {label}
      </button>
    </form>
  );
}

/** The actions on one person: each that cannot be taken back in a click behind a confirmation step. */
function UserActions({ user, csrf }: { user: User; csrf: string }) {
  const who = <span className="sr-only"> {user.email}</span>;
  return (
    <div className="flex flex-wrap items-start gap-2">
      {user.disabledAt ? (
        <UserForm action="/admin/users/status" csrf={csrf} user={user} fields={{ disabled: "false" }} label={<>Enable{who}</>} />
      ) : (
        <ConfirmStep label={<>Disable{who}</>} question={`${user.email} is signed out everywhere and every app loses its access to them.`}>
          <UserForm
            action="/admin/users/status"
            csrf={csrf}
            user={user}
            fields={{ disabled: "true" }}
            confirmed
            label={<>Disable now{who}</>}
            className={confirmButtonClass}
          />
        </ConfirmStep>
      )}
      {user.isAdmin ? (
        <UserForm action="/admin/users/role" csrf={csrf} user={user} fields={{ isAdmin: "false" }} label={<>Remove admin{who}</>} />
      ) : (
        <ConfirmStep
          tone="neutral"
          label={<>Make admin{who}</>}
          question={`${user.email} will see and change every person, app and setting of the portal.`}
        >
          <UserForm
            action="/admin/users/role"
            csrf={csrf}
            user={user}
            fields={{ isAdmin: "true" }}
            confirmed
            label={<>Make admin now{who}</>}
            className={confirmButtonClass}
          />
        </ConfirmStep>
      )}
      {user.disabledAt ? null : <UserForm action="/admin/users/reset" csrf={csrf} user={user} label={<>Send password reset{who}</>} />}
      <ConfirmStep
        label={<>Delete{who}</>}
        question={`${user.email} is deleted with their sessions and every app's access; their apps and APIs become yours. This cannot be undone.`}
      >
        <UserForm
          action="/admin/users/delete"
          csrf={csrf}
          user={user}
          confirmed
          label={<>Delete now{who}</>}
          className={confirmButtonClass}
        />
      </ConfirmStep>
    </div>
  );
}

export default async function AdminUsersPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const admin = await requireAdmin(addressOf("/admin", params, ["q", "before"]));
  const query = listQueryOf(params);
  const [{ rows: users, nextBefore }, csrf] = await Promise.all([searchUsers(query), csrfToken()]);
  const input = "rounded-md border border-slate-300 px-3 py-2 text-sm";
  return (
    <AdminFrame user={admin} current="/admin" params={params}>
      <details className="mb-4 rounded-lg border border-slate-200 bg-white p-4">
        <summary className="cursor-pointer text-sm font-semibold">Invite a person</summary>
        <form
          method="post"
          action="/admin/users/invite"
          aria-label="Invite a person"
          className="mt-3 flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end"
        >
          <input type="hidden" name={CSRF_FIELD} value={csrf} />
          <label className="flex flex-col text-sm font-medium text-slate-700">
            Email
            <input name="email" type="email" required autoComplete="off" className={`mt-1 ${input}`} />
          </label>
          <label className="flex flex-col text-sm font-medium text-slate-700">
            Name
            <input name="name" type="text" autoComplete="off" className={`mt-1 ${input}`} />
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input name="isAdmin" type="checkbox" value="yes" /> Admin
          </label>
          <button type="submit" className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50">
            Send invitation
          </button>
        </form>
        <p className="mt-2 text-xs text-slate-500">
          They get a mail with a link (7 days) to choose their password; using it confirms their email.
        </p>
      </details>
      <FilterForm name="q" label="Search users" value={query.search} placeholder="Start of an email or name" button="Search" />
      <AdminTable label="Users" columns={["Email", "Name", "Status", ""]}>
        {users.map((user) => (
          <tr key={user.id}>
            <td className={`${cellClass} break-all`}>{user.email}</td>
            <td className={cellClass}>{user.name ?? "—"}</td>
            <td className={cellClass}>{user.disabledAt ? "Disabled" : user.isAdmin ? "Admin" : "Active"}</td>
            <td className={cellClass}>
              {user.id === admin.id ? <span className="text-xs text-slate-500">You</span> : <UserActions user={user} csrf={csrf} />}
            </td>
          </tr>
        ))}
      </AdminTable>
      {users.length === 0 ? <p className="p-4 text-sm text-slate-600">No one matches.</p> : null}
      <PageLinks
        path="/admin"
        query={new URLSearchParams(query.search ? { q: query.search } : {})}
        before={query.before}
        nextBefore={nextBefore}
        noun="people"
      />
    </AdminFrame>
  );
}
