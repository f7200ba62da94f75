import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { newClient, newUser } from "../support/fixtures";
import { baseUrl, freshAddress, HttpSession } from "../support/http-client";
import { signedInAdmin } from "../support/oauth";
import { linkIn, mailTo } from "../support/mailbox";

const notice = (response: Response) => decodeURIComponent(new URL(response.headers.get("location") ?? "/", baseUrl()).search);

describe("an admin managing people", () => {
  it("invites a person, who chooses a password from the mail and signs in with a confirmed email", async () => {
    const { browser, csrf_token } = await signedInAdmin();
    const email = `invited-${randomUUID()}@example.com`;
    const invited = await browser.post("/admin/users/invite", { csrf_token, email, name: "New Colleague" });
    expect(notice(invited)).toContain(`${email} was invited`);
    const user = await db().user.findUniqueOrThrow({ where: { email } });
    expect(user.isAdmin).toBe(false);
    expect(user.emailVerifiedAt).toBeNull();

    const mail = await mailTo(email, /You are invited/);
    expect(mail.text).toContain("7 days");
    const link = new URL(linkIn(mail, baseUrl()));
    const person = new HttpSession(freshAddress());
    const set = await person.post("/auth/reset-password", {
      csrf_token: await person.csrfTokenFrom(link.pathname + link.search),
      token: link.searchParams.get("token")!,
      password: "my first password",
    });
    expect(set.status).toBe(303);
    expect((await person.signIn(email, "my first password")).status).toBe(303);
    expect((await db().user.findUniqueOrThrow({ where: { email } })).emailVerifiedAt).not.toBeNull();

    // The same email again is refused with a message.
    expect(notice(await browser.post("/admin/users/invite", { csrf_token, email }))).toContain("already has an account");
  });

  it("makes someone an admin after the confirmation step, and takes it back; never their own role", async () => {
    const { browser, csrf_token, user: admin } = await signedInAdmin();
    const person = await newUser();
    expect(notice(await browser.post("/admin/users/role", { csrf_token, userId: person.user.id, isAdmin: "true" }))).toContain(
      "Confirm first",
    );
    await browser.post("/admin/users/role", { csrf_token, userId: person.user.id, isAdmin: "true", confirm: "yes" });
    expect((await db().user.findUniqueOrThrow({ where: { id: person.user.id } })).isAdmin).toBe(true);
    await browser.post("/admin/users/role", { csrf_token, userId: person.user.id, isAdmin: "false" });
    expect((await db().user.findUniqueOrThrow({ where: { id: person.user.id } })).isAdmin).toBe(false);
    expect(notice(await browser.post("/admin/users/role", { csrf_token, userId: admin.id, isAdmin: "false" }))).toContain(
      "You cannot change your own role",
    );
  });

  it("sends a person a password reset link", async () => {
    const { browser, csrf_token } = await signedInAdmin();
    const person = await newUser();
    expect(notice(await browser.post("/admin/users/reset", { csrf_token, userId: person.user.id }))).toContain(`sent to ${person.email}`);
    expect(linkIn(await mailTo(person.email, /Reset your/), baseUrl())).toContain("/reset-password?token=");
  });

  it("deletes a person after the confirmation step; their apps become the admin's", async () => {
    const { browser, csrf_token, user: admin } = await signedInAdmin();
    const person = await newUser();
    const app = await newClient({ ownerId: person.user.id });
    await browser.post("/admin/users/delete", { csrf_token, userId: person.user.id });
    expect(await db().user.findUnique({ where: { id: person.user.id } })).not.toBeNull();
    expect(notice(await browser.post("/admin/users/delete", { csrf_token, userId: person.user.id, confirm: "yes" }))).toContain(
      "was deleted",
    );
    expect(await db().user.findUnique({ where: { id: person.user.id } })).toBeNull();
    expect((await db().client.findUniqueOrThrow({ where: { id: app.clientId } })).ownerId).toBe(admin.id);
    // And the admin can open it in the dashboard, as any app.
    expect((await browser.get(`/dashboard/apps/${app.clientId}`)).status).toBe(200);
  });

  it("opens any app's page, which a person who neither owns it nor is an admin cannot", async () => {
    const { browser } = await signedInAdmin();
    const app = await newClient({ ownerId: (await newUser()).user.id });
    expect(await (await browser.get(`/dashboard/apps/${app.clientId}`)).text()).toContain(app.clientId);
    const stranger = await newUser();
    const other = new HttpSession(freshAddress());
    await other.signIn(stranger.email, stranger.password);
    expect((await other.get(`/dashboard/apps/${app.clientId}`)).status).toBe(404);
  });

  it("refuses every one of these to someone who is not an admin", async () => {
    const person = await newUser();
    const browser = new HttpSession(freshAddress());
    await browser.signIn(person.email, person.password);
    const csrf_token = await browser.csrfTokenFrom("/account");
    for (const path of ["/admin/users/invite", "/admin/users/role", "/admin/users/reset", "/admin/users/delete"]) {
      expect(
        (
          await browser.post(path, {
            csrf_token,
            userId: person.user.id,
            email: `x-${randomUUID()}@example.com`,
            isAdmin: "true",
            confirm: "yes",
          })
        ).status,
        path,
      ).toBe(403);
    }
    expect((await db().user.findUniqueOrThrow({ where: { id: person.user.id } })).isAdmin).toBe(false);
  });

  it("comes back to a list as it was asked for after signing in: its search, filter and page", async () => {
    const visitor = new HttpSession(freshAddress());
    for (const address of ["/admin/apps?q=Paged+app&before=abc", "/admin?q=colleague", "/admin/audit?type=client.created&failures=1&q=x"]) {
      const toSignIn = await visitor.get(address);
      expect(toSignIn.status, address).toBe(307);
      const location = new URL(toSignIn.headers.get("location")!, baseUrl());
      expect(location.pathname).toBe("/sign-in");
      expect(location.searchParams.get("returnTo")).toBe(address);
    }
    // Only the list's own parameters: a notice is not replayed.
    const location = new URL((await visitor.get("/admin/apps?notice=Done&q=x")).headers.get("location")!, baseUrl());
    expect(location.searchParams.get("returnTo")).toBe("/admin/apps?q=x");
  });
});
