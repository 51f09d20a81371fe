import { readFileSync } from "node:fs";
import { type ServerResponse, createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface SeenRequest {
  method: string;
  /** The request target exactly as it arrived (path and raw query). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Reply {
  status?: number;
  /** A string is sent as it is (recorded bytes); anything else as JSON. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

type Handler = (request: SeenRequest) => Reply | Promise<Reply>;

const here = dirname(fileURLToPath(import.meta.url));

/** Reads a recorded fixture copied into test/fixtures (see test/fixtures/README.md). */
export function fixture(name: string): string {
  return readFileSync(join(here, "..", "fixtures", name), "utf8");
}

/**
 * A loopback server that records every request and answers with the test's handler: used
 * to assert exact request lines and to feed recorded Salesforce bodies through the client.
 */
export async function startReplayServer(handler: Handler) {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let current = handler;
  const server = createServer(async (req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const seen: SeenRequest = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(seen);
    try {
      const reply = await current(seen);
      const status = reply.status ?? 200;
      const headers: Record<string, string> = { ...reply.headers };
      let body = "";
      if (reply.body !== undefined && reply.body !== null) {
        body = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
        headers["content-type"] ??= reply.contentType ?? "application/json;charset=UTF-8";
      }
      res.writeHead(status, headers);
      res.end(status === 204 ? undefined : body);
    } catch (error) {
      res.writeHead(599);
      res.end(String(error));
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler(next: Handler) {
      current = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
