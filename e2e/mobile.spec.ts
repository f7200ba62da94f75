/**
 * Every screen fits a 390 px wide phone: the page never scrolls sideways
 * (tables and code scroll inside themselves), checked at 390 and at 1280 px.
 */
import { expect, test, type Page } from "@playwright/test";
import { db } from "@/lib/db";
import { newApi, newClient, newUser } from "../tests/support/fixtures";
import { authorizationParams, authorizePath } from "../tests/support/http-client";

/** How far the page scrolls sideways, and the outermost elements that stick out (to name in the failure). */
async function pageOverflow(page: Page): Promise<{ pixels: number; offenders: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const offenders: string[] = [];
    const scrollsInside = (element: Element) => {
      for (let node = element.parentElement; node; node = node.parentElement)
        if (["auto", "scroll", "hidden"].includes(getComputedStyle(node).overflowX)) return true;
      return false;
    };
    for (const element of document.body.querySelectorAll("*")) {
      if (scrollsInside(element)) continue;
      const box = element.getBoundingClientRect();
      const parentBox = element.parentElement?.getBoundingClientRect();
      if (box.right > width + 0.5 && (!parentBox || parentBox.right <= width + 0.5))
        offenders.push(
          `${element.tagName.toLowerCase()}.${String(element.className).slice(0, 60)} "${(element.textContent ?? "").slice(0, 40)}"`,
        );
    }
    return { pixels: document.documentElement.scrollWidth - width, offenders: offenders.slice(0, 5) };
  });
}

for (const width of [390, 1280]) {
  test(`every screen fits ${width} px without scrolling sideways`, async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ viewport: { width, height: 844 } });
    const page = await context.newPage();
    const admin = await newUser({ name: "Wide Tables Admin" });
    await db().user.update({ where: { id: admin.user.id }, data: { isAdmin: true } });
    const app = await newClient({ name: "A rather long application name for a phone", ownerId: admin.user.id, isConfidential: true });
    const api = await newApi({ ownerId: admin.user.id });
    const consentApp = await newClient({ name: "Phone Consent App" });

    const signedOut = [
      "/sign-in",
      "/sign-up",
      "/forgot-password",
      "/reset-password?token=x",
      "/sign-up/check-email",
      "/docs/apis",
      "/no-such-page",
    ];
    for (const path of signedOut) {
      await page.goto(path);
      const overflow = await pageOverflow(page);
      expect(overflow.pixels, `${path} at ${width} px: ${overflow.offenders.join("; ")}`).toBeLessThanOrEqual(0);
    }

    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();

    const signedIn = [
      "/",
      "/dashboard/apps",
      "/dashboard/apps/new",
      `/dashboard/apps/${app.clientId}`,
      `/dashboard/apps/${app.clientId}/playground`,
      "/dashboard/apis",
      "/dashboard/apis/new",
      `/dashboard/apis/${api.id}`,
      "/account",
      "/account/security",
      "/account/sessions",
      "/account/connections",
      "/admin",
      "/admin/apps",
      "/admin/scopes",
      "/admin/registration",
      "/admin/security",
      "/admin/audit",
      "/admin/webhooks",
      authorizePath(
        authorizationParams(consentApp, { scope: "openid profile email", code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" }),
      ),
    ];
    for (const path of signedIn) {
      await page.goto(path);
      await expect(page.locator("main").first()).toBeVisible();
      const overflow = await pageOverflow(page);
      expect(overflow.pixels, `${path} at ${width} px: ${overflow.offenders.join("; ")}`).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
}
