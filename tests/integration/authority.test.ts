/**
 * Who may hold which power, written as the attacks: machine tokens come only
 * from client grants that the API's owner (for the portal's own API, an
 * admin) gave, and stop when the giver can no longer give them; nobody puts
 * a management scope on an app's list; an app handed to an admin keeps
 * nothing its former owner held.
 */
import { describe, expect, it } from "vitest";
import { deleteAccount } from "@/lib/accounts/profile";
import { db } from "@/lib/db";
import { findResourceApi, portalApiAudience } from "@/lib/oauth/apis";
import { ClientGrantError, giveClientGrant } from "@/lib/oauth/client-grants";
import { newApi, newClient, newUser } from "../support/fixtures";
import { baseUrl } from "../support/http-client";
import { basic, failureReasons, postForm, signedInAdmin } from "../support/oauth";
import { expectOAuthError } from "../support/expect-oauth";
import { runPortalCli } from "../support/portal-cli";
import { ValidationError } from "@/lib/oauth/errors";

async function admin() {
  const person = await newUser();
  return { ...person, user: await db().user.update({ where: { id: person.user.id }, data: { isAdmin: true } }) };
}

function machineApp(ownerId: string) {
  return newClient({ ownerId, isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
}

function clientCredentials(app: { clientId: string; clientSecret?: string }, params: Record<string, string> = {}) {
  return postForm("/oauth/token", { grant_type: "client_credentials", ...params }, basic(app.clientId, app.clientSecret!));
}

/**
 * Changes made here, outside the server (as by the CLI or another instance),
 * reach the server's caches of apps, APIs and client grants within two seconds.
 */
function untilOtherInstancesSee() {
  return new Promise((resolve) => setTimeout(resolve, 2100));
}

async function portalApi() {
  return (await findResourceApi(portalApiAudience()))!;
}

describe("machine tokens for someone else's API", () => {
  it("are refused without a client grant from the API's owner, and carry only the granted scopes with one", async () => {
    const apiOwner = await newUser();
    const api = await newApi({
      ownerId: apiOwner.user.id,
      scopes: [
        { name: "reports.read", description: "Read reports" },
        { name: "reports.write", description: "Write reports" },
      ],
    });
    const attacker = await newUser();
    const app = await machineApp(attacker.user.id);

    // The attack: any app asks for a token for another person's API, with or without its scopes.
    await expectOAuthError(await clientCredentials(app, { audience: api.identifier }), 400, "unauthorized_client");
    await expectOAuthError(await clientCredentials(app, { audience: api.identifier, scope: "reports.read" }), 400, "unauthorized_client");
    // The app's owner cannot give it themselves.
    await expect(giveClientGrant(api, app.clientId, ["reports.read"], attacker.user)).rejects.toBeInstanceOf(ClientGrantError);
    const cli = await runPortalCli([
      "client",
      "grant",
      "--client",
      app.clientId,
      "--api",
      api.identifier,
      "--scope",
      "reports.read",
      "--by",
      attacker.email,
    ]);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain("Only the API's owner or an admin");
    expect(await failureReasons(app.clientId, 1)).toContain(
      `no client grant: the API's owner has not authorized this app for ${api.identifier}`,
    );

    // The API's owner authorizes it, with one scope.
    const given = await runPortalCli([
      "client",
      "grant",
      "--client",
      app.clientId,
      "--api",
      api.identifier,
      "--scope",
      "reports.read",
      "--by",
      apiOwner.email,
    ]);
    expect(given.status, given.stderr).toBe(0);
    await untilOtherInstancesSee();
    const granted = await clientCredentials(app, { audience: api.identifier });
    expect(granted.status).toBe(200);
    expect(await granted.json()).toMatchObject({ scope: "reports.read" });
    await expectOAuthError(await clientCredentials(app, { audience: api.identifier, scope: "reports.write" }), 400, "invalid_scope");

    // Taken away: refused again.
    expect(
      (await runPortalCli(["client", "grant", "--client", app.clientId, "--api", api.identifier, "--remove", "--by", apiOwner.email]))
        .status,
    ).toBe(0);
    await untilOtherInstancesSee();
    await expectOAuthError(await clientCredentials(app, { audience: api.identifier }), 400, "unauthorized_client");
  });

  it("stop when the giver no longer owns the API", async () => {
    const apiOwner = await newUser();
    const api = await newApi({ ownerId: apiOwner.user.id, scopes: [{ name: "sync", description: "Sync" }] });
    const app = await machineApp((await newUser()).user.id);
    await giveClientGrant(api, app.clientId, ["sync"], apiOwner.user);
    expect((await clientCredentials(app, { audience: api.identifier })).status).toBe(200);
    await db().api.update({ where: { id: api.id }, data: { ownerId: (await newUser()).user.id } });
    await untilOtherInstancesSee();
    await expectOAuthError(await clientCredentials(app, { audience: api.identifier }), 400, "unauthorized_client");
  });
});

describe("admin power", () => {
  it("never reaches an app's list of scopes, by any path", async () => {
    const person = await newUser();
    await expect(
      newClient({ ownerId: person.user.id, isConfidential: true, grantTypes: ["client_credentials"], scopes: ["admin.users"] }),
    ).rejects.toBeInstanceOf(ValidationError);
    const viaCli = await runPortalCli([
      "client",
      "create",
      "--name",
      "Sneaky",
      "--grant",
      "client_credentials",
      "--scope",
      "admin.users",
      "--owner",
      person.email,
    ]);
    expect(viaCli.status).toBe(1);
    expect(viaCli.stderr).toContain("admin.users is for client credentials only");
    // Dynamic registration is covered in registration.test.ts.
  });

  it("comes only from a client grant an admin gave, and ends when that admin is demoted", async () => {
    const person = await newUser();
    const app = await machineApp(person.user.id);
    const portal = await portalApi();
    // A non-admin cannot give the portal's own API, by the service or the CLI.
    await expect(giveClientGrant(portal, app.clientId, ["admin.users"], person.user)).rejects.toThrow("Only admins");
    const cli = await runPortalCli([
      "client",
      "grant",
      "--client",
      app.clientId,
      "--api",
      "portal",
      "--scope",
      "admin.users",
      "--by",
      person.email,
    ]);
    expect(cli.status).toBe(1);
    await expectOAuthError(await clientCredentials(app, { scope: "admin.users" }), 400, "unauthorized_client");

    const giver = await admin();
    await giveClientGrant(portal, app.clientId, ["admin.users"], giver.user);
    await untilOtherInstancesSee();
    const token = ((await (await clientCredentials(app, { scope: "admin.users" })).json()) as { access_token: string }).access_token;
    const list = () => fetch(new URL("/api/v1/admin/users?limit=1", baseUrl()), { headers: { authorization: `Bearer ${token}` } });
    expect((await list()).status).toBe(200);
    await db().user.update({ where: { id: giver.user.id }, data: { isAdmin: false } });
    await untilOtherInstancesSee();
    await expectOAuthError(await clientCredentials(app, { scope: "admin.users" }), 400, "unauthorized_client");
    // A token issued before is refused by the management API too.
    expect((await list()).status).toBe(403);
  });

  it("does not pass to an app's creator when their account and apps go to an admin", async () => {
    const person = await newUser();
    const app = await machineApp(person.user.id);
    const confidentialWeb = await newClient({ ownerId: person.user.id, isConfidential: true });
    const publicApp = await newClient({ ownerId: person.user.id });
    // An admin once authorized the person's app for the management API.
    await giveClientGrant(await portalApi(), app.clientId, ["admin.audit"], (await admin()).user);
    expect((await clientCredentials(app, { scope: "admin.audit" })).status).toBe(200);
    const hook = await db().webhook.create({
      data: {
        id: `hook-${app.clientId}`,
        clientId: app.clientId,
        createdById: person.user.id,
        url: "https://hooks.example/in",
        secretSealed: "x",
        events: "*",
      },
    });

    await deleteAccount(person.user, { confirmEmail: person.email, apps: "hand_over" }, { ip: "203.0.113.30" });
    await untilOtherInstancesSee();

    const moved = await db().client.findUniqueOrThrow({ where: { id: app.clientId } });
    const heir = await db().user.findUniqueOrThrow({ where: { id: moved.ownerId! } });
    expect(heir.isAdmin).toBe(true);
    // The secret the creator kept no longer works, and the management grant is gone.
    await expectOAuthError(await clientCredentials(app, { scope: "admin.audit" }), 401, "invalid_client");
    expect(await db().clientGrant.count({ where: { clientId: app.clientId } })).toBe(0);
    expect(
      (await postForm("/oauth/introspect", { token: "x" }, basic(confidentialWeb.clientId, confidentialWeb.clientSecret!))).status,
    ).toBe(401);
    // The creator's webhook addresses no longer receive the app's events.
    expect(await db().webhook.findUnique({ where: { id: hook.id } })).toBeNull();
    // People keep signing in to the public app; the new owner sees what happened.
    expect((await db().client.findUniqueOrThrow({ where: { id: publicApp.clientId } })).disabledAt).toBeNull();
    const handedOver = await db().auditEvent.findFirstOrThrow({ where: { clientId: app.clientId, type: "client.handed_over" } });
    expect(JSON.parse(handedOver.details!)).toMatchObject({ from: person.user.id, secretReplaced: true, portalGrantEnded: true });
  });
});

describe("banners", () => {
  it("never show words from a link someone else made, only what the portal signed", async () => {
    const { browser, user } = await signedInAdmin();
    const forged = "Your account is locked: call +1 555 0100";
    for (const path of [
      `/admin?notice=${encodeURIComponent(forged)}`,
      `/admin/apps?error=${encodeURIComponent(forged)}&error_sig=0000`,
      `/dashboard/apps?deleted=${encodeURIComponent(forged)}`,
      `/dashboard/apis?deleted=${encodeURIComponent(forged)}`,
      `/account/connections?revoked=${encodeURIComponent(forged)}`,
      `/admin/webhooks?webhook=${encodeURIComponent(forged)}`,
    ]) {
      const page = await (await browser.get(path)).text();
      expect(page, path).not.toContain("call +1 555 0100");
    }
    const app = await newClient({ ownerId: user.id, isConfidential: true });
    const playground = await (
      await browser.get(`/dashboard/apps/${app.clientId}/playground?error=access_denied&error_description=${encodeURIComponent(forged)}`)
    ).text();
    expect(playground).toContain("access_denied");
    expect(playground).not.toContain("call +1 555 0100");
    // What the portal itself says after a change still shows.
    const person = await newUser();
    const csrf_token = await browser.csrfTokenFrom("/admin");
    const changed = await browser.post("/admin/users/role", { csrf_token, userId: person.user.id, isAdmin: "true", confirm: "yes" });
    const location = changed.headers.get("location")!;
    expect(location).toContain("notice_sig=");
    expect(await (await browser.get(new URL(location).pathname + new URL(location).search)).text()).toContain(
      new URL(location).searchParams.get("notice")!.slice(0, 20).replace(/'/g, "&#x27;"),
    );
  });
});
