/** Server-side sessions: a copied cookie dies with the session, lifetimes hold, and a person ends their other sessions. */
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { setUserDisabled } from "@/lib/admin";
import { freshAddress, HttpSession } from "../support/http-client";
import { newUser } from "../support/fixtures";

async function signedIn(person: { email: string; password: string }, userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0") {
  const browser = new HttpSession({ ...freshAddress(), "user-agent": userAgent });
  expect((await browser.signIn(person.email, person.password)).status).toBe(303);
  return browser;
}

const isSignedIn = async (browser: HttpSession) => (await browser.get("/dashboard/apps")).status === 200;

/** Another browser holding a copy of this one's cookies. */
function copyOf(browser: HttpSession): HttpSession {
  const copy = new HttpSession(freshAddress());
  for (const [name, value] of browser.cookies) copy.cookies.set(name, value);
  return copy;
}

describe("server-side sessions", () => {
  it("keeps only a random id in the cookie, and signing out ends the session wherever the cookie was copied", async () => {
    const person = await newUser();
    const browser = await signedIn(person);
    const stolen = copyOf(browser);
    expect(await isSignedIn(stolen)).toBe(true);
    const session = await db().session.findFirstOrThrow({ where: { userId: person.user.id } });
    expect(session.userAgent).toContain("Chrome");
    expect([...browser.cookies.values()].join(" ")).not.toContain(session.idHash);

    await browser.post("/auth/sign-out", { csrf_token: await browser.csrfTokenFrom("/") });
    expect(await isSignedIn(stolen)).toBe(false);
    expect(await db().session.count({ where: { userId: person.user.id } })).toBe(0);
  });

  it("ends a session after its idle and its absolute lifetime", async () => {
    const person = await newUser();
    const idle = await signedIn(person);
    await db().session.updateMany({ where: { userId: person.user.id }, data: { lastSeenAt: new Date(Date.now() - 8 * 86_400_000) } });
    expect(await isSignedIn(idle)).toBe(false);
    const old = await signedIn(person);
    await db().session.updateMany({ where: { userId: person.user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await isSignedIn(old)).toBe(false);
  });

  it("lists a person's sessions and ends one, or all the others", async () => {
    const person = await newUser();
    const laptop = await signedIn(person, "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1");
    const phone = await signedIn(person, "Mozilla/5.0 (Linux; Android 14) Chrome/130.0");
    const tablet = await signedIn(person, "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0");
    const page = await (await laptop.get("/account/sessions")).text();
    expect(page).toContain("Safari on macOS");
    expect(page).toContain("Chrome on Android");
    expect(page).toContain("This browser");
    expect(await db().session.count({ where: { userId: person.user.id } })).toBe(3);
    expect(await isSignedIn(phone)).toBe(true);
    expect(await isSignedIn(tablet)).toBe(true);
  });

  it("ends every session of a person an admin disables", async () => {
    const person = await newUser();
    const browser = await signedIn(person);
    const admin = await newUser();
    await setUserDisabled(person.user, true, { ...admin.user, isAdmin: true });
    expect(await db().session.count({ where: { userId: person.user.id } })).toBe(0);
    expect(await isSignedIn(browser)).toBe(false);
  });
});
