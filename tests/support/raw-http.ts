/** Raw HTTP over a socket, for what fetch cannot do: slow senders, declared lengths, chunked bodies. */
import { connect, type Socket } from "node:net";
import { baseUrl } from "./http-client";

export type RawAnswer = { status: number | null; headers: Record<string, string>; body: string; closedAfterMs: number };

/** Opens a connection to the test server. */
export function openSocket(): Promise<Socket> {
  const { hostname, port } = new URL(baseUrl());
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Everything the server sends until it closes the connection (or `timeoutMs` passes), parsed loosely. */
export function readUntilClosed(socket: Socket, timeoutMs = 15_000): Promise<RawAnswer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const finish = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("utf8");
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = head.split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const index = line.indexOf(":");
        if (index > 0) headers[line.slice(0, index).trim().toLowerCase()] = line.slice(index + 1).trim();
      }
      const status = /^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1];
      resolve({ status: status ? Number(status) : null, headers, body: rest.join("\r\n\r\n"), closedAfterMs: Date.now() - started });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      finish();
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", finish);
    socket.on("error", () => undefined);
  });
}

/** Sends a request head and body as given, in one write. */
export async function rawRequest(head: string, body: Buffer | string = ""): Promise<RawAnswer> {
  const socket = await openSocket();
  const answer = readUntilClosed(socket);
  socket.write(Buffer.concat([Buffer.from(head), Buffer.isBuffer(body) ? body : Buffer.from(body)]));
  return answer;
}
