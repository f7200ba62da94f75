import { describe, expect, it, vi } from "vitest";
import { endpoint, errorAnswer } from "./endpoint";
import { OAuthError, ValidationError } from "./errors";
import type { ProtocolRequest } from "@/lib/protocol-http";

function request(url = "https://portal.test/api/v1/admin/apps"): ProtocolRequest {
  return { method: "POST", url, headers: { get: () => null }, text: async () => "" };
}

describe("one error family, rendered per endpoint", () => {
  it("renders RFC 6749 §5.2 JSON and RFC 9457 problem details from the same error", () => {
    const error = new OAuthError("too_many_requests", 'Slow "down"\n', { retryAfterSeconds: 7 });
    const oauth = errorAnswer(error);
    expect(oauth.status).toBe(429);
    expect(oauth.headers["Retry-After"]).toBe("7");
    expect(JSON.parse(oauth.body)).toEqual({ error: "too_many_requests", error_description: "Slow  down  " });
    const problem = errorAnswer(error, "problem");
    expect(problem.headers["Content-Type"]).toBe("application/problem+json");
    expect(JSON.parse(problem.body)).toEqual({
      title: "Too Many Requests",
      status: 429,
      detail: "Slow  down  ",
      error: "too_many_requests",
      error_description: "Slow  down  ",
    });
  });

  it("challenges a bad bearer token (RFC 6750 §3) and gives refusals of the portal's rules their status", () => {
    expect(errorAnswer(new OAuthError("invalid_token", "No")).headers["WWW-Authenticate"]).toBe('Bearer error="invalid_token"');
    expect(errorAnswer(new OAuthError("not_found", "No")).status).toBe(404);
    expect(errorAnswer(new OAuthError("refused", "No")).status).toBe(409);
    expect(errorAnswer(ValidationError.of("name", "Give it a name")).status).toBe(400);
  });

  it("answers a failure outside the family as server_error, never with its message", async () => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const route = endpoint(
      async () => {
        throw new Error("secret detail");
      },
      { errors: "problem" },
    );
    const answer = await route.protocol(request(), undefined);
    quiet.mockRestore();
    expect(answer.status).toBe(500);
    expect(answer.body).not.toContain("secret detail");
    expect(JSON.parse(answer.body)).toMatchObject({ status: 500, error: "server_error" });
  });

  it("answers a rule's refusal thrown by a service in the endpoint's rendering", async () => {
    const route = endpoint(async () => {
      throw ValidationError.of("name", "Give it a name");
    });
    const answer = await route.protocol(request("https://portal.test/oauth/register"), undefined);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: "invalid_request", error_description: "Give it a name" });
  });
});
