import { ConfirmField, confirmButtonClass, ConfirmStep } from "@/components/ui/confirm-step";
import type { Metadata } from "next";
import { searchUsers } from "@/lib/admin";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { requireAdmin } from "@/lib/auth/guards";
import { AdminFrame, AdminTable, cellClass, FilterForm, smallButton } from "./admin-frame";

export const metadata: Metadata = { title: "Admin · Users" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminUsersPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin("/admin");
  const params = await searchParams;
  const query = typeof params.q === "string" ? params.q : "";
  const [users, csrf] = await Promise.all([searchUsers(query), csrfToken()]);
  return (
    <AdminFrame user={admin} current="/admin" params={params}>
      <FilterForm name="q" label="Search users" value={query} placeholder="Email or name" button="Search" />
      <AdminTable label="Users" columns={["Email", "Name", "Status", ""]}>
        {users.map((user) => (
          <tr key={user.id}>
            <td className={cellClass}>{user.email}</td>
            <td className={cellClass}>{user.name ?? "—"}</td>
            <td className={cellClass}>{user.disabledAt ? "Disabled" : user.isAdmin ? "Admin" : "Active"}</td>
            <td className={cellClass}>
              {user.id === admin.id ? null : (
                user.disabledAt ? (
                  <form method="post" action="/admin/users/status">
                    <input type="hidden" name={CSRF_FIELD} value={csrf} />
                    <input type="hidden" name="userId" value={user.id} />
                    <input type="hidden" name="disabled" value="false" />
                    <button type="submit" className={smallButton}>
                      Enable<span className="sr-only"> {user.email}</span>
                    </button>
                  </form>
                ) : (
                  <ConfirmStep
                    label={
                      <>
                        Disable<span className="sr-only"> {user.email}</span>
                      </>
                    }
                    question={`${user.email} is signed out everywhere and every app loses its access to them.`}
                  >
                    <form method="post" action="/admin/users/status">
                      <input type="hidden" name={CSRF_FIELD} value={csrf} />
                      <input type="hidden" name="userId" value={user.id} />
                      <input type="hidden" name="disabled" value="true" />
                      <ConfirmField />
                      <button type="submit" className={confirmButtonClass}>
                        Disable now<span className="sr-only"> {user.email}</span>
                      </button>
                    </form>
                  </ConfirmStep>
                )
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      {users.length === 0 ? <p className="p-4 text-sm text-slate-600">No one matches.</p> : null}
    </AdminFrame>
  );
}
