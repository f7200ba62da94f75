import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { newClient, newUser } from "../support/fixtures";
import { freshAddress, HttpSession } from "../support/http-client";
import { signedInAdmin } from "../support/oauth";

describe("confirmation steps", () => {
  it("an admin's disable without the confirmation field changes nothing; with it, the person is disabled", async () => {
    const { browser, csrf_token } = await signedInAdmin();
    const person = await newUser();
    const unconfirmed = await browser.post("/admin/users/status", { csrf_token, userId: person.user.id, disabled: "true" });
    expect(decodeURIComponent(unconfirmed.headers.get("location") ?? "")).toContain("error=Confirm first");
    expect((await db().user.findUniqueOrThrow({ where: { id: person.user.id } })).disabledAt).toBeNull();

    await browser.post("/admin/users/status", { csrf_token, userId: person.user.id, disabled: "true", confirm: "yes" });
    expect((await db().user.findUniqueOrThrow({ where: { id: person.user.id } })).disabledAt).not.toBeNull();
    // Enabling again needs no confirmation.
    await browser.post("/admin/users/status", { csrf_token, userId: person.user.id, disabled: "false" });
    expect((await db().user.findUniqueOrThrow({ where: { id: person.user.id } })).disabledAt).toBeNull();
  });

  it("disabling an app and deleting a registration token need it too", async () => {
    const { browser, csrf_token } = await signedInAdmin();
    const app = await newClient();
    await browser.post("/admin/apps/flags", { csrf_token, clientId: app.clientId, flag: "disabled", value: "true" });
    expect((await db().client.findUniqueOrThrow({ where: { id: app.clientId } })).disabledAt).toBeNull();
    await browser.post("/admin/apps/flags", { csrf_token, clientId: app.clientId, flag: "disabled", value: "true", confirm: "yes" });
    expect((await db().client.findUniqueOrThrow({ where: { id: app.clientId } })).disabledAt).not.toBeNull();

    const token = await db().initialAccessToken.create({
      data: {
        id: `confirm-${Date.now()}`,
        tokenHash: `hash-${Date.now()}`,
        label: "Partner",
        usesLeft: 1,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    await browser.post("/admin/registration/delete", { csrf_token, id: token.id, label: token.label });
    expect(await db().initialAccessToken.findUnique({ where: { id: token.id } })).not.toBeNull();
    await browser.post("/admin/registration/delete", { csrf_token, id: token.id, label: token.label, confirm: "yes" });
    expect(await db().initialAccessToken.findUnique({ where: { id: token.id } })).toBeNull();
  });
});

describe("referrer policy", () => {
  it("is no-referrer on sign-in, consent-like and one-time-link pages, and same-origin on the signed-in screens (whose forms must work without JavaScript)", async () => {
    const browser = new HttpSession(freshAddress());
    for (const path of [
      "/sign-in",
      "/sign-up",
      "/forgot-password",
      "/reset-password?token=x",
      "/account/email/confirm?token=x",
      "/consent?request=x",
    ]) {
      expect((await browser.get(path)).headers.get("referrer-policy"), path).toBe("no-referrer");
    }
    for (const path of ["/account", "/account/sessions", "/dashboard/apps", "/admin"]) {
      expect((await browser.get(path)).headers.get("referrer-policy"), path).toBe("same-origin");
    }
  });
});
