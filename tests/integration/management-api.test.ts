/**
 * The management API against its OpenAPI document: every operation the
 * document lists is called with an admin app's client-credentials token and
 * its answer checked against the operation's schema; the document lists
 * exactly the routes under app/api/v1/admin.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { MANAGEMENT_OPERATIONS } from "@/lib/api/openapi";
import { db } from "@/lib/db";
import { findResourceApi, portalApiAudience } from "@/lib/oauth/apis";
import { giveClientGrant } from "@/lib/oauth/client-grants";
import { newApi, newClient, newUser } from "../support/fixtures";
import { baseUrl } from "../support/http-client";
import { basic, postForm } from "../support/oauth";

/** A client-credentials token of an app for the management API: its owner gives it the grant when an admin, and cannot otherwise. */
async function machineToken(ownerIsAdmin: boolean, scope = "admin.apps admin.users admin.audit") {
  const owner = await newUser();
  if (ownerIsAdmin) owner.user = await db().user.update({ where: { id: owner.user.id }, data: { isAdmin: true } });
  const app = await newClient({ ownerId: owner.user.id, isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
  const portal = (await findResourceApi(portalApiAudience()))!;
  const grant = giveClientGrant(portal, app.clientId, ["admin.apps", "admin.users", "admin.audit"], owner.user);
  if (ownerIsAdmin) await grant;
  else await expect(grant).rejects.toThrow("Only admins can give apps the portal's own API.");
  const response = await postForm("/oauth/token", { grant_type: "client_credentials", scope }, basic(app.clientId, app.clientSecret!));
  return { response, app, owner };
}

function call(method: string, route: string, token: string, body?: unknown) {
  return fetch(new URL(route, baseUrl()), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

/** The route files under app/api/v1/admin, as OpenAPI paths ([id] → {id}). */
function implementedPaths(): string[] {
  const root = "app/api/v1/admin";
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name === "route.ts")
    .map((entry) => `/api/v1/admin/${path.relative(root, entry.parentPath).split(path.sep).join("/")}`.replace(/\[(\w+)\]/g, "{$1}"))
    .sort();
}

describe("the management API", () => {
  it("issues admin scopes only through a client grant an admin gave", async () => {
    const { response } = await machineToken(false);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "unauthorized_client" });
    // Without a scope parameter, a non-admin's app simply gets none of them.
    const { app } = await machineToken(false, "");
    const plain = await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(app.clientId, app.clientSecret!));
    expect(((await plain.json()) as { scope: string }).scope.split(" ")).not.toContain("admin.apps");
  });

  it("serves its OpenAPI document, which lists exactly the implemented routes", async () => {
    const document = (await (await fetch(new URL("/api/v1/openapi.json", baseUrl()))).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).sort()).toEqual([...new Set(implementedPaths())].sort());
    for (const operation of MANAGEMENT_OPERATIONS)
      expect(document.paths[operation.path]?.[operation.method], `${operation.method} ${operation.path}`).toBeDefined();
  });

  it("answers every documented operation as its schema says", async () => {
    const { response, owner } = await machineToken(true);
    expect(response.status).toBe(200);
    const token = ((await response.json()) as { access_token: string }).access_token;
    const target = await newUser({ name: "Managed Person" });
    const app = await newClient({ name: "Managed App", isConfidential: true, grantTypes: ["client_credentials"] });
    const api = await newApi({ ownerId: target.user.id });
    const ids: Record<string, string> = { clientId: app.clientId, userId: target.user.id, apiId: api.id };
    const bodies: Record<string, unknown> = {
      createApp: { name: "Made by automation", type: "confidential", grant_types: ["client_credentials"] },
      updateApp: { name: "Renamed by automation", disabled: true },
      inviteUser: { email: `automated-${randomUUID()}@example.com`, name: "Invited By Script" },
      updateUser: { name: "Renamed Person", admin: true },
      putAppGrant: { scopes: ["read"] },
    };
    // Deleting goes last, on its own person.
    const order = [...MANAGEMENT_OPERATIONS].sort((a, b) => Number(a.method === "delete") - Number(b.method === "delete"));
    for (const operation of order) {
      const route = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]!);
      const answer = await call(operation.method.toUpperCase(), route, token, bodies[operation.operationId]);
      expect(answer.status, `${operation.operationId}: ${answer.status}`).toBe(operation.success.status);
      if (operation.success.schema) {
        const parsed = (operation.success.schema as z.ZodType).safeParse(await answer.json());
        expect(parsed.success, `${operation.operationId}: ${parsed.success ? "" : parsed.error.message}`).toBe(true);
      }
    }
    const after = await db().user.findUnique({ where: { id: target.user.id } });
    expect(after).toBeNull(); // deleteUser ran last
    expect((await db().client.findUniqueOrThrow({ where: { id: app.clientId } })).disabledAt).not.toBeNull();
    // Changes name the admin who gave the app its grant.
    expect(await db().auditEvent.count({ where: { type: "user.deleted", userId: owner.user.id } })).toBe(1);
  });

  it("answers errors as RFC 9457 problem details: a bad body 400, an unknown id 404, a refused rule 409, a missing scope 403", async () => {
    const { response, owner } = await machineToken(true);
    const token = ((await response.json()) as { access_token: string }).access_token;
    const unnamed = await call("POST", "/api/v1/admin/apps", token, { name: "" });
    expect(unnamed.status).toBe(400);
    expect(unnamed.headers.get("content-type")).toBe("application/problem+json");
    expect(await unnamed.json()).toMatchObject({
      title: "Bad Request",
      status: 400,
      error: "invalid_request",
      detail: expect.stringContaining("Enter a name"),
    });
    const notJson = await fetch(new URL("/api/v1/admin/apps", baseUrl()), {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: "[1,",
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: "invalid_request", detail: "The body is not valid JSON" });
    // Management scopes reach an app through a client grant only, never its list of scopes.
    const listed = await call("POST", "/api/v1/admin/apps", token, {
      name: "Listed admin",
      type: "confidential",
      grant_types: ["client_credentials"],
      scopes: ["admin.users"],
    });
    expect(listed.status).toBe(400);
    expect(await listed.json()).toMatchObject({ error_description: expect.stringContaining("admin.users is for client credentials only") });
    const missing = await call("GET", "/api/v1/admin/users/no-such-person", token);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ title: "Not Found", status: 404, error: "not_found" });
    const refused = await call("PATCH", `/api/v1/admin/users/${owner.user.id}`, token, { admin: false });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ title: "Conflict", status: 409, error: "refused" });
    const narrow = await machineToken(true, "admin.audit");
    const auditOnly = ((await narrow.response.json()) as { access_token: string }).access_token;
    expect((await call("GET", "/api/v1/admin/users", auditOnly)).status).toBe(403);
    expect((await call("GET", "/api/v1/admin/audit?limit=5", auditOnly)).status).toBe(200);
  });

  it("gives no more than the calling token holds, and a grant narrowed since stops the tokens issued before", async () => {
    const full = await machineToken(true);
    const fullToken = ((await full.response.json()) as { access_token: string }).access_token;
    const appsOnly = (
      (await (
        await postForm(
          "/oauth/token",
          { grant_type: "client_credentials", scope: "admin.apps" },
          basic(full.app.clientId, full.app.clientSecret!),
        )
      ).json()) as { access_token: string }
    ).access_token;
    const portalGrant = `/api/v1/admin/apps/${full.app.clientId}/grants/portal`;
    // admin.apps alone cannot hand out admin.users, to this app or any other.
    const escalated = await call("PUT", portalGrant, appsOnly, { scopes: ["admin.apps", "admin.users"] });
    expect(escalated.status).toBe(403);
    expect((await call("PUT", portalGrant, appsOnly, { scopes: ["admin.apps"] })).status).toBe(200);
    // The full token was issued before the narrowing: admin.users no longer acts.
    expect((await call("GET", "/api/v1/admin/users?limit=1", fullToken)).status).toBe(403);
    expect((await call("GET", "/api/v1/admin/apps?limit=1", fullToken)).status).toBe(200);
  });

  it("lists apps and people a page at a time, with a search, and refuses a bad page size", async () => {
    const { response, owner } = await machineToken(true);
    const token = ((await response.json()) as { access_token: string }).access_token;
    const tag = randomUUID().slice(0, 8);
    for (let index = 0; index < 3; index += 1) await newClient({ name: `Paged ${tag} ${index}`, ownerId: owner.user.id });
    const names: string[] = [];
    const search = encodeURIComponent(`Paged ${tag}`);
    let route = `/api/v1/admin/apps?q=${search}&limit=2`;
    for (;;) {
      const page = (await (await call("GET", route, token)).json()) as { apps: { name: string }[]; next_before: string | null };
      names.push(...page.apps.map((app) => app.name));
      if (!page.next_before) break;
      route = `/api/v1/admin/apps?q=${search}&limit=2&before=${page.next_before}`;
    }
    expect(names).toEqual([`Paged ${tag} 2`, `Paged ${tag} 1`, `Paged ${tag} 0`]);
    // By the owner's email too.
    expect(
      ((await (await call("GET", `/api/v1/admin/apps?q=${encodeURIComponent(owner.email)}`, token)).json()) as { apps: unknown[] }).apps
        .length,
    ).toBeGreaterThanOrEqual(4);

    const people = (await (await call("GET", `/api/v1/admin/users?q=${encodeURIComponent(owner.email)}`, token)).json()) as {
      users: { id: string }[];
      next_before: string | null;
    };
    expect(people).toEqual({ users: [expect.objectContaining({ id: owner.user.id })], next_before: null });
    for (const limit of ["0", "501", "many"])
      expect((await call("GET", `/api/v1/admin/users?limit=${limit}`, token)).status, limit).toBe(400);
  });
});
