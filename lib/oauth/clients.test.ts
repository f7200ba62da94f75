import { describe, expect, it } from "vitest";
import { secretMatches } from "@/lib/crypto";
import { db } from "@/lib/db";
import { ClientValidationError, registerClient } from "./clients";

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
    const { client, clientSecret } = await registerClient({ name: "SPA", isConfidential: false, redirectUris: ["http://localhost:5173/cb"] });
    expect(clientSecret).toBeUndefined();
    expect(client.secretHash).toBeNull();
  });

  it.each([
    [{ name: "SPA", isConfidential: false, grantTypes: ["client_credentials" as const] }, "Only confidential clients"],
    [{ name: "Web", redirectUris: ["http://app.example/cb"] }, "Use https"],
    [{ name: "Web", redirectUris: [] }, "needs at least one redirect URI"],
    [{ name: "Web", redirectUris: ["https://app.example/cb"], scopes: ["no-such-scope"] }, "Unknown scope: no-such-scope"],
    [{ name: "", redirectUris: ["https://app.example/cb"] }, "Enter a name"],
  ])("refuses %j and writes nothing", async (input, message) => {
    const before = await db().client.count();
    const attempt = registerClient(input);
    await expect(attempt).rejects.toBeInstanceOf(ClientValidationError);
    await expect(attempt).rejects.toThrow(message);
    expect(await db().client.count()).toBe(before);
  });
});
