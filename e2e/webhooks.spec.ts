import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { verifyWebhook } from "@/lib/webhooks/signature";
import { newClient, newUser } from "../tests/support/fixtures";
import { basic, postForm } from "../tests/support/oauth";

test("an app's owner adds a webhook, copies its secret once, and reads the delivery log", async ({ page }) => {
  const received: { headers: Record<string, string>; body: string }[] = [];
  const receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ headers: request.headers as Record<string, string>, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/portal-events`;
  try {
    const owner = await newUser();
    const app = await newClient({
      name: "Hooked App",
      ownerId: owner.user.id,
      isConfidential: true,
      grantTypes: ["client_credentials"],
      scopes: [],
    });
    await page.goto(`/sign-in?returnTo=${encodeURIComponent(`/dashboard/apps/${app.clientId}`)}`);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();

    const form = page.getByRole("form", { name: "Add a webhook" });
    await form.getByLabel("Endpoint URL").fill("http://example.com/not-https");
    await form.getByLabel("Token issued").check();
    await form.getByRole("button", { name: "Add webhook" }).click();
    await expect(page.getByText(/Use an https:\/\/ URL/)).toBeVisible();

    await form.getByLabel("Endpoint URL").fill(url);
    await form.getByLabel("Token issued").check();
    await form.getByRole("button", { name: "Add webhook" }).click();
    const secret = (await page.getByTestId("new-webhook-secret").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);

    expect((await postForm("/oauth/token", { grant_type: "client_credentials" }, basic(app.clientId, app.clientSecret!))).status).toBe(200);
    await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThan(0);
    const [delivery] = received;
    expect(
      verifyWebhook(
        secret,
        {
          id: delivery!.headers["webhook-id"]!,
          timestamp: delivery!.headers["webhook-timestamp"]!,
          signature: delivery!.headers["webhook-signature"]!,
        },
        delivery!.body,
      ),
    ).toBe(true);

    await page.reload();
    const log = page.getByRole("table", { name: `Deliveries to ${url}` });
    await expect(log).toContainText("Token issued");
    await expect(log).toContainText("Delivered (204)");
    await log
      .getByRole("button", { name: /Send again/ })
      .first()
      .click();
    await expect(page.getByText("The delivery will be sent again in a moment.")).toBeVisible();
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(2);
    expect(received[1]!.headers["webhook-id"]).toBe(delivery!.headers["webhook-id"]);
  } finally {
    receiver.close();
  }
});
