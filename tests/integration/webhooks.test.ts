/**
 * Webhooks end to end: a real receiver checks each delivery's Standard
 * Webhooks signature; a portal instance is killed in the middle of a
 * delivery, and the event still arrives, from the durable outbox.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { verifyWebhook } from "@/lib/webhooks/signature";
import { deleteWebhook, registerWebhook, sendAgain } from "@/lib/webhooks/webhooks";
import { setClientFirstParty } from "@/lib/admin";
import { deleteApi, updateApi } from "@/lib/oauth/apis";
import { addRedirectUri, deleteClient, removeRedirectUri, rotateClientSecret, setClientDisabled, updateClient } from "@/lib/oauth/clients";
import { newApi, newClient, newUser } from "../support/fixtures";
import { basic } from "../support/oauth";
import { currentServerEnv, startTestServer, type TestServer } from "../support/test-server";

type Received = { id: string; timestamp: string; signature: string; body: string };

/** A receiver that answers each request as the test says: hang (never answer), fail with a status, or 200. */
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
let nextAnswers: Array<"hang" | number> = [];

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => resolve(body));
  });
}

beforeAll(async () => {
  receiver = createServer(async (request, response) => {
    const body = await readBody(request);
    received.push({
      id: String(request.headers["webhook-id"]),
      timestamp: String(request.headers["webhook-timestamp"]),
      signature: String(request.headers["webhook-signature"]),
      body,
    });
    const answer = nextAnswers.shift() ?? 200;
    if (answer === "hang") return;
    response.writeHead(answer).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/portal`;
});

afterAll(() => {
  receiver.closeAllConnections();
  receiver.close();
});

async function until<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function machineApp() {
  const owner = await newUser();
  return newClient({ ownerId: owner.user.id, isConfidential: true, grantTypes: ["client_credentials"], scopes: [] });
}

function tokenAt(base: string, app: { clientId: string; clientSecret?: string }) {
  return fetch(new URL("/oauth/token", base), {
    method: "POST",
    headers: { ...basic(app.clientId, app.clientSecret!), "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
}

describe("webhooks", () => {
  let instance: TestServer | undefined;
  afterAll(async () => instance?.stop());

  it("delivers the app's events signed, survives an instance killed mid-delivery, retries a failure, and sends again on request", {
    timeout: 90_000,
  }, async () => {
    const app = await machineApp();
    const { webhook, secret } = await registerWebhook({ url: receiverUrl, events: ["token.issued"] }, { clientId: app.clientId }, "tester");
    // A second instance, started after the webhook exists (each instance's list of webhooks is at most 10 s old).
    instance = await startTestServer({ sameAs: currentServerEnv() });

    nextAnswers = ["hang"];
    expect((await tokenAt(instance.baseUrl, app)).status).toBe(200);
    const first = await until(() => received.find((delivery) => delivery.body.includes(app.clientId)), 10_000);
    // Killed while the receiver holds the request: the attempt is never marked.
    process.kill(instance.pid, "SIGKILL");
    await instance.exited;
    instance = undefined;

    // The claim lapses (20 s) and the instance still running delivers it, with the same message id.
    const again = await until(() => received.filter((delivery) => delivery.id === first.id)[1], 40_000);
    expect(verifyWebhook(secret, again, again.body)).toBe(true);
    expect(verifyWebhook(secret, { ...again, signature: again.signature.replace(/.$/, (c) => (c === "A" ? "B" : "A")) }, again.body)).toBe(
      false,
    );
    const payload = JSON.parse(again.body) as {
      type: string;
      timestamp: string;
      data: { client_id: string; details: { grantType: string } };
    };
    expect(payload).toMatchObject({
      type: "token.issued",
      data: { client_id: app.clientId, details: { grantType: "client_credentials" } },
    });
    const delivered = await until(async () => {
      const row = await db().webhookDelivery.findUnique({ where: { id: first.id } });
      return row?.deliveredAt ? row : undefined;
    }, 5000);
    expect(delivered.lastStatus).toBe(200);

    // A receiver that fails is tried again 5 seconds later.
    nextAnswers = [500];
    const second = await tokenAt((await import("../support/http-client")).baseUrl(), app);
    expect(second.status).toBe(200);
    const failing = await until(async () => {
      const rows = await db().webhookDelivery.findMany({ where: { webhookId: webhook.id, attempts: 1, lastStatus: 500 } });
      return rows[0];
    }, 15_000);
    expect(failing.deliveredAt).toBeNull();
    expect(failing.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    await until(
      async () => ((await db().webhookDelivery.findUnique({ where: { id: failing.id } }))?.deliveredAt ? true : undefined),
      20_000,
    );

    // Send again: the same message, once more.
    const count = received.filter((delivery) => delivery.id === failing.id).length;
    await sendAgain({ clientId: app.clientId }, failing.id);
    await until(() => (received.filter((delivery) => delivery.id === failing.id).length > count ? true : undefined), 15_000);
  });

  it("refuses addresses other than https (and http://localhost in development), and another app's deliveries", async () => {
    const app = await machineApp();
    for (const url of [
      "ftp://example.com/hook",
      "http://example.com/hook",
      "https://user:pw@example.com/hook",
      "https://example.com/hook#x",
      "not a url",
    ]) {
      await expect(registerWebhook({ url, events: ["*"] }, { clientId: app.clientId }, "tester")).rejects.toThrow();
    }
    await expect(
      registerWebhook({ url: "https://example.com/hook", events: ["token.nonsense"] }, { clientId: app.clientId }, "tester"),
    ).rejects.toThrow("Choose events from the list");
    const { webhook } = await registerWebhook({ url: "https://example.com/hook", events: ["*"] }, { clientId: app.clientId }, "tester");
    const other = await machineApp();
    const delivery = await db().webhookDelivery.create({
      data: {
        id: `msg_test_${Date.now()}`,
        webhookId: webhook.id,
        eventType: "token.issued",
        payload: "{}",
        nextAttemptAt: new Date(Date.now() + 3600_000),
      },
    });
    await expect(sendAgain({ clientId: other.clientId }, delivery.id)).rejects.toThrow("does not exist here");
  });

  it("receives every event recorded, app and API changes included, on a portal-wide webhook for all events", async () => {
    const admin = await newUser();
    const { webhook } = await registerWebhook({ url: receiverUrl, events: ["*"] }, { clientId: null }, admin.user.id);
    const since = new Date();
    const app = await newClient({ ownerId: admin.user.id, isConfidential: true });
    const stored = await db().client.findUniqueOrThrow({ where: { id: app.clientId }, include: { redirectUris: true } });
    await updateClient(
      stored,
      { name: "Renamed", isConfidential: true, grantTypes: ["authorization_code"], scopes: ["openid"], redirectUris: [app.redirectUri] },
      admin.user.id,
    );
    await addRedirectUri(stored, "https://second.example/callback", admin.user.id);
    await removeRedirectUri(
      { ...stored, redirectUris: [{ uri: app.redirectUri }, { uri: "https://second.example/callback" }] },
      "https://second.example/callback",
      admin.user.id,
    );
    await rotateClientSecret(stored, 0, admin.user.id);
    await setClientDisabled(stored, true, admin.user.id);
    await setClientDisabled(stored, false, admin.user.id);
    await setClientFirstParty(stored, true, admin.user);
    await deleteClient(stored, admin.user.id);
    const api = await newApi({ ownerId: admin.user.id });
    await updateApi(api, { name: "Renamed API", scopes: [{ name: "read", description: "Read your things" }] }, admin.user.id);
    await deleteApi(api, admin.user.id);

    const events = await db().auditEvent.findMany({ where: { userId: admin.user.id, createdAt: { gte: since } } });
    expect(new Set(events.map((event) => event.type))).toEqual(
      new Set([
        "client.created",
        "client.updated",
        "client.secret_rotated",
        "client.disabled",
        "client.enabled",
        "client.deleted",
        "api.created",
        "api.updated",
        "api.deleted",
      ]),
    );
    const deliveries = await db().webhookDelivery.findMany({ where: { webhookId: webhook.id } });
    // Every later test's events would go to it too.
    await deleteWebhook({ clientId: null }, webhook.id);
    const delivered = new Set(deliveries.map((delivery) => (JSON.parse(delivery.payload) as { data: { event_id: string } }).data.event_id));
    expect(events.filter((event) => !delivered.has(event.id)).map((event) => event.type)).toEqual([]);
  });
});
