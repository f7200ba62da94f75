import { describe, expect, it } from "vitest";
import { secretMatches } from "@/lib/crypto";
import { db } from "@/lib/db";
import { addRedirectUri, deleteClient, registerClient, removeRedirectUri, rotateClientSecret, updateClient } from "./clients";
import { ValidationError } from "./errors";
import { findClient } from "./store/clients";

describe("registerClient", () => {
  it("gives a confidential client a 64-hex secret, stored only as a keyed hash", async () => {
    const { client, clientSecret, redirectUris } = await registerClient({ name: "Server app", redirectUris: ["https://app.example/cb"] });
    expect(clientSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(client.secretHash).not.toBe(clientSecret);
    expect(secretMatches(clientSecret!, client.secretHash!)).toBe(true);
    expect(redirectUris).toEqual(["https://app.example/cb"]);
    expect(client.grantTypes).toBe("authorization_code refresh_token");
  });

  it("gives a public client no secret", async () => {
    const { client, clientSecret } = await registerClient({
      name: "SPA",
      isConfidential: false,
      redirectUris: ["http://localhost:5173/cb"],
    });
    expect(clientSecret).toBeUndefined();
    expect(client.secretHash).toBeNull();
  });

  it.each([
    [{ name: "SPA", isConfidential: false, grantTypes: ["client_credentials" as const] }, "Only confidential clients"],
    [{ name: "Web", redirectUris: ["http://app.example/cb"] }, "Use https"],
    [{ name: "Web", redirectUris: [] }, "needs at least one redirect URI"],
    [{ name: "Web", redirectUris: ["https://app.example/cb"], scopes: ["no-such-scope"] }, "Unknown scope: no-such-scope"],
    [{ name: "", redirectUris: ["https://app.example/cb"] }, "Enter a name"],
    // PostgreSQL cannot store U+0000: the form says so instead of a 500.
    [{ name: "A\u0000pp", redirectUris: ["https://app.example/cb"] }, "cannot contain control characters"],
    [
      { name: "App", logoUrl: "https://logo.example/a\u0000.png", redirectUris: ["https://app.example/cb"] },
      "cannot contain control characters",
    ],
  ])("refuses %j and writes nothing", async (input, message) => {
    const before = await db().client.count();
    const attempt = registerClient(input);
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow(message);
    expect(await db().client.count()).toBe(before);
  });
});

describe("managing an app", () => {
  const owner = "owner-of-managed-apps";
  const fresh = async (overrides: Parameters<typeof registerClient>[0] | object = {}) => {
    const { client, clientSecret } = await registerClient({ name: "Managed", redirectUris: ["https://managed.example/cb"], ...overrides });
    return { client: (await findClient(client.id))!, clientSecret: clientSecret! };
  };

  it("rotates a secret at once, or keeps the old one working for the grace period", async () => {
    const { client, clientSecret } = await fresh();
    const now = await rotateClientSecret(client, 0, owner);
    const rotated = (await findClient(client.id))!;
    expect(secretMatches(now, rotated.secretHash!)).toBe(true);
    expect(rotated.previousSecretHash).toBeNull();

    const later = await rotateClientSecret(rotated, 3600, owner);
    const graced = (await findClient(client.id))!;
    expect(secretMatches(later, graced.secretHash!)).toBe(true);
    expect(secretMatches(now, graced.previousSecretHash!)).toBe(true);
    expect(graced.previousSecretExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(secretMatches(clientSecret, graced.previousSecretHash!)).toBe(false);
    await expect(rotateClientSecret(graced, 42, owner)).rejects.toBeInstanceOf(ValidationError);
  });

  it("adds redirect URIs under the registration rules and keeps the last one of a sign-in app", async () => {
    const { client } = await fresh();
    await expect(addRedirectUri(client, "https://*.managed.example/cb", owner)).rejects.toThrow("Wildcards");
    await expect(addRedirectUri(client, "https://managed.example/cb", owner)).rejects.toThrow("already registered");
    await addRedirectUri(client, "https://managed.example/second", owner);
    const withTwo = (await findClient(client.id))!;
    await removeRedirectUri(withTwo, "https://managed.example/cb", owner);
    const withOne = (await findClient(client.id))!;
    expect(withOne.redirectUris.map(({ uri }) => uri)).toEqual(["https://managed.example/second"]);
    await expect(removeRedirectUri(withOne, "https://managed.example/second", owner)).rejects.toThrow("at least one redirect URI");
  });

  it("edits settings with field errors for bad input, and deletes the app with its grants", async () => {
    const { client } = await fresh();
    const attempt = updateClient(client, { name: "", grantTypes: ["client_credentials"], scopes: [], isConfidential: true }, owner);
    await expect(attempt).rejects.toMatchObject({ fieldErrors: { name: "Enter a name" } });
    await updateClient(client, { name: "Renamed", grantTypes: ["authorization_code"], scopes: ["openid"], isConfidential: true }, owner);
    expect(await findClient(client.id)).toMatchObject({ name: "Renamed", grantTypes: "authorization_code", scopes: "openid" });
    await deleteClient(client, owner);
    expect(await findClient(client.id)).toBeNull();
  });
});

describe("changing an app's type", () => {
  it("gives a public app a secret when it becomes confidential, and removes it when it becomes public again", async () => {
    const { client } = await registerClient({ name: "Shifter", isConfidential: false, redirectUris: ["https://shifter.example/cb"] });
    const changes = { name: "Shifter", grantTypes: ["authorization_code" as const], scopes: ["openid"] };
    const { clientSecret } = await updateClient((await findClient(client.id))!, { ...changes, isConfidential: true }, "owner");
    expect(clientSecret).toMatch(/^[0-9a-f]{64}$/);
    const confidential = (await findClient(client.id))!;
    expect(secretMatches(clientSecret!, confidential.secretHash!)).toBe(true);

    expect(await updateClient(confidential, { ...changes, isConfidential: true }, "owner")).toEqual({ clientSecret: undefined });
    await updateClient(confidential, { ...changes, isConfidential: false }, "owner");
    expect(await findClient(client.id)).toMatchObject({ isConfidential: false, secretHash: null });
  });
});
