import { describe, expect, it } from "vitest";
import { newWebhookSecret, signWebhook, verifyWebhook } from "./signature";

describe("Standard Webhooks signatures", () => {
  it("match the specification's example", () => {
    expect(signWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}')).toBe(
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });

  it("verify within the tolerance only, for the body and id signed", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const now = Math.floor(Date.now() / 1000);
    const signature = signWebhook(secret, "msg_1", now, "{}");
    expect(verifyWebhook(secret, { id: "msg_1", timestamp: String(now), signature: `v1,other ${signature}` }, "{}")).toBe(true);
    expect(verifyWebhook(secret, { id: "msg_2", timestamp: String(now), signature }, "{}")).toBe(false);
    expect(verifyWebhook(secret, { id: "msg_1", timestamp: String(now), signature }, '{"x":1}')).toBe(false);
    expect(verifyWebhook(newWebhookSecret(), { id: "msg_1", timestamp: String(now), signature }, "{}")).toBe(false);
    const old = now - 600;
    expect(verifyWebhook(secret, { id: "msg_1", timestamp: String(old), signature: signWebhook(secret, "msg_1", old, "{}") }, "{}")).toBe(
      false,
    );
  });
});
