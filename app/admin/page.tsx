import type { Metadata } from "next";
import { searchUsers } from "@/lib/admin";
import { CSRF_FIELD, csrfToken } from "@/lib/auth/csrf";
import { requireAdmin } from "@/lib/auth/guards";
import { AdminFrame, cellClass, smallButton, tableClass } from "./admin-frame";

export const metadata: Metadata = { title: "Admin · Users" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminUsersPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireAdmin("/admin");
  const params = await searchParams;
  const query = typeof params.q === "string" ? params.q : "";
  const [users, csrf] = await Promise.all([searchUsers(query), csrfToken()]);
  return (
    <AdminFrame user={admin} current="/admin" params={params}>
      <form method="get" role="search" className="mb-4 flex gap-2">
        <label htmlFor="q" className="sr-only">
          Search users
        </label>
        <input id="q" name="q" defaultValue={query} placeholder="Email or name" className="w-full max-w-sm rounded-md border border-slate-300 px-3 py-2 text-sm" />
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50">
          Search
        </button>
      </form>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white p-4">
        <table className={tableClass} aria-label="Users">
          <thead className="text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className={cellClass}>Email</th>
              <th scope="col" className={cellClass}>Name</th>
              <th scope="col" className={cellClass}>Status</th>
              <th scope="col" className={cellClass}><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((user) => (
              <tr key={user.id}>
                <td className={cellClass}>{user.email}</td>
                <td className={cellClass}>{user.name ?? "—"}</td>
                <td className={cellClass}>{user.disabledAt ? "Disabled" : user.isAdmin ? "Admin" : "Active"}</td>
                <td className={cellClass}>
                  {user.id === admin.id ? null : (
                    <form method="post" action="/admin/users/status">
                      <input type="hidden" name={CSRF_FIELD} value={csrf} />
                      <input type="hidden" name="userId" value={user.id} />
                      <input type="hidden" name="disabled" value={user.disabledAt ? "false" : "true"} />
                      <button type="submit" className={smallButton}>
                        {user.disabledAt ? "Enable" : "Disable"}
                        <span className="sr-only"> {user.email}</span>
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {users.length === 0 ? <p className="p-4 text-sm text-slate-600">No one matches.</p> : null}
      </div>
    </AdminFrame>
  );
}
