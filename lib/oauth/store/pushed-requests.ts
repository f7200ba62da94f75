/** Pushed authorization requests (RFC 9126): kept briefly, used once. */
import { db } from "@/lib/db";
import { hashSecret, randomToken } from "@/lib/crypto";

/** Stores the request's parameters; returns the handle that goes into the request_uri. */
export async function savePushedRequest(clientId: string, params: URLSearchParams, lifetimeSeconds: number): Promise<string> {
  const handle = randomToken(32);
  await db().pushedAuthorizationRequest.create({
    data: { handleHash: hashSecret(handle), clientId, params: params.toString(), expiresAt: new Date(Date.now() + lifetimeSeconds * 1000) },
  });
  return handle;
}

/** The parameters pushed by this client under this handle, once: the request is deleted as it is taken. */
export async function takePushedRequest(handle: string, clientId: string): Promise<URLSearchParams | null> {
  if (handle.length > 100) return null;
  const handleHash = hashSecret(handle);
  const pushed = await db().pushedAuthorizationRequest.findUnique({ where: { handleHash } });
  if (!pushed || pushed.clientId !== clientId) return null;
  // Of two uses at once, one deletes it; the other finds nothing to delete.
  const { count } = await db().pushedAuthorizationRequest.deleteMany({ where: { handleHash, expiresAt: { gt: new Date() } } });
  return count === 1 ? new URLSearchParams(pushed.params) : null;
}
