import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createUser } from "@/lib/accounts/users";
import { db } from "@/lib/db";
import { updateName } from "@/lib/accounts/profile";
import { insertUser } from "@/lib/accounts/store/people";
import { findClient } from "@/lib/oauth/store/clients";
import { registerClient, updateClient } from "@/lib/oauth/clients";
import { searchClients, searchUsers } from "./admin";

/** Every page of a list, following nextBefore to the end. */
async function allPages<T extends { id: string }>(list: (before?: string) => Promise<{ rows: T[]; nextBefore: string | null }>) {
  const pages: T[][] = [];
  let before: string | undefined;
  do {
    const page = await list(before);
    pages.push(page.rows);
    before = page.nextBefore ?? undefined;
  } while (before);
  return pages;
}

describe("admin lists", () => {
  it("page people newest first, each once, even when they were created in the same millisecond", async () => {
    const tag = randomUUID().slice(0, 8);
    const users = [];
    for (let index = 0; index < 5; index += 1)
      users.push(await createUser({ email: `paged-${tag}-${index}@example.com`, password: "a long password", name: `Paged ${index}` }));
    await db().user.updateMany({
      where: { id: { in: users.slice(1, 4).map((user) => user.id) } },
      data: { createdAt: users[1]!.createdAt },
    });

    const pages = await allPages((before) => searchUsers({ search: `paged-${tag}`, before, limit: 2 }));
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    const ids = pages.flat().map((user) => user.id);
    expect(new Set(ids).size).toBe(5);
    expect(ids[0]).toBe(users[4]!.id);
    expect(ids[4]).toBe(users[0]!.id);
  });

  it("find apps by the start of the name or of the owner's email, or the exact client_id, a page at a time", async () => {
    const tag = randomUUID().slice(0, 8);
    const owner = await createUser({ email: `owner-${tag}@example.com`, password: "a long password" });
    const apps = [];
    for (let index = 0; index < 3; index += 1) {
      apps.push(
        (
          await registerClient({
            name: `Listed ${tag} ${index}`,
            isConfidential: false,
            redirectUris: [`https://listed-${tag}.example/${index}`],
            scopes: ["openid"],
            ownerId: index === 2 ? owner.id : undefined,
          })
        ).client,
      );
    }
    expect((await searchClients({ search: `LISTED ${tag}` })).rows.map((app) => app.name)).toEqual(
      [2, 1, 0].map((index) => `Listed ${tag} ${index}`),
    );
    expect((await searchClients({ search: `owner-${tag}` })).rows.map((app) => app.id)).toEqual([apps[2]!.id]);
    expect((await searchClients({ search: ` ${apps[0]!.id} ` })).rows.map((app) => app.id)).toEqual([apps[0]!.id]);
    expect((await searchClients({ search: `Listed ${tag}` })).rows[0]!.owner?.email).toBe(`owner-${tag}@example.com`);

    const pages = await allPages((before) => searchClients({ search: `Listed ${tag}`, before, limit: 2 }));
    expect(pages.map((page) => page.map((app) => app.id))).toEqual([[apps[2]!.id, apps[1]!.id], [apps[0]!.id]]);
  });

  it("find people by the start of their email or name, in any case, through a rename, and read % and _ as themselves", async () => {
    const tag = randomUUID().slice(0, 8);
    const ada = await createUser({ email: `ada-${tag}@example.com`, password: "a long password", name: `Élodie ${tag} Lovelace` });
    const other = await createUser({ email: `adax-${tag}@example.com`, password: "a long password", name: `Élodie${tag}` });
    const found = async (search: string) => (await searchUsers({ search })).rows.map((user) => user.id);
    expect(await found(`ÉLODIE ${tag}`)).toEqual([ada.id]);
    expect(await found(`ada-${tag}`)).toEqual([ada.id]);
    expect(await found(`Lovelace`)).not.toContain(ada.id);
    expect(await found(`ada_${tag}`)).toEqual([]);
    expect(await found(`%${tag}`)).toEqual([]);
    await updateName(ada, `Grace ${tag}`);
    expect(await found(`grace ${tag}`)).toEqual([ada.id]);
    expect(await found(`élodie ${tag}`)).toEqual([]);
    // The end of the prefix's range: a name that goes on past it with a character beyond the Basic Multilingual Plane.
    await updateName(other, `Zoë ${tag}\u{1F600}`);
    expect(await found(`zoë ${tag}`)).toEqual([other.id]);
  });

  it("find apps by the start of their owners' email when more owners match than a search names", async () => {
    const tag = randomUUID().slice(0, 8);
    const owners = [];
    for (let index = 0; index <= 100; index += 1)
      owners.push(
        await insertUser({ id: randomUUID(), email: `broad-${tag}-${String(index).padStart(3, "0")}@example.com`, passwordHash: "x" }),
      );
    const { client } = await registerClient({
      name: `Owned ${tag}`,
      isConfidential: false,
      redirectUris: [`https://owned-${tag}.example/callback`],
      scopes: ["openid"],
      ownerId: owners.at(-1)!.id,
    });
    expect((await searchClients({ search: `broad-${tag}` })).rows.map((app) => app.id)).toEqual([client.id]);
    expect((await searchClients({ search: `broad-${tag}-100` })).rows.map((app) => app.id)).toEqual([client.id]);
  });

  it("find an app by its new name after a rename", async () => {
    const tag = randomUUID().slice(0, 8);
    const { client } = await registerClient({
      name: `Before ${tag}`,
      isConfidential: false,
      redirectUris: [`https://renamed-${tag}.example/callback`],
      scopes: ["openid"],
    });
    await updateClient((await findClient(client.id))!, { name: `After ${tag}`, isConfidential: false, scopes: ["openid"] }, "admin");
    expect((await searchClients({ search: `after ${tag}` })).rows.map((app) => app.id)).toEqual([client.id]);
    expect((await searchClients({ search: `before ${tag}` })).rows).toEqual([]);
  });

  it("answer an empty page, not an error, for a cursor that names no row", async () => {
    expect(await searchClients({ before: "no-such-app" })).toEqual({ rows: [], nextBefore: null });
    expect(await searchUsers({ before: "no-such-person", search: "\u0000" })).toEqual({ rows: [], nextBefore: null });
  });
});
