import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { flushEvents } from "@/lib/events";
import { FAILURES_PER_SECOND, recordFailedCall } from "./failure-log";

describe("recording failed calls", () => {
  it("records at most FAILURES_PER_SECOND per app and second, and says how many were left out", async () => {
    const clientId = `failing-${randomUUID()}`;
    const second = 1_800_000_000_000;
    const call = { clientId, endpoint: "/oauth/token", error: "invalid_grant" };
    const recorded: boolean[] = [];
    for (let i = 0; i < FAILURES_PER_SECOND + 3; i++) recorded.push(await recordFailedCall(call, `reason ${i}`, second + i));
    expect(recorded).toEqual([...Array(FAILURES_PER_SECOND).fill(true), false, false, false]);
    let asked = false;
    expect(
      await recordFailedCall(
        call,
        async () => {
          asked = true;
          return "worked out only when recorded";
        },
        second + 1000,
      ),
    ).toBe(true);
    expect(asked).toBe(true);
    await flushEvents();
    const events = await db().auditEvent.findMany({ where: { clientId, type: "request.failed" } });
    expect(events).toHaveLength(FAILURES_PER_SECOND + 1);
    expect(events.map((event) => JSON.parse(event.details!)).find((details) => details.reason === "worked out only when recorded")).toEqual(
      { endpoint: "/oauth/token", error: "invalid_grant", reason: "worked out only when recorded", similarBefore: 3 },
    );
  });

  it("does not work out the reason of a call it leaves out", async () => {
    const clientId = `flood-${randomUUID()}`;
    const now = 1_800_000_100_000;
    for (let i = 0; i < FAILURES_PER_SECOND; i++)
      await recordFailedCall({ clientId, endpoint: "/oauth/token", error: "invalid_client" }, "x", now);
    let asked = false;
    expect(
      await recordFailedCall(
        { clientId, endpoint: "/oauth/token", error: "invalid_client" },
        async () => {
          asked = true;
          return "y";
        },
        now,
      ),
    ).toBe(false);
    expect(asked).toBe(false);
  });
});
