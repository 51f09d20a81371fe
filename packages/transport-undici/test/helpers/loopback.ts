import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import { type AddressInfo, type Socket, connect } from "node:net";

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/**
 * A loopback HTTP server for the transport's own tests: the handler gets the raw
 * request (to read streamed uploads) and the server counts connections, open sockets and
 * the sockets that each request arrived on.
 */
export async function startLoopback(handler: Handler) {
  const sockets = new Set<Socket>();
  let connections = 0;
  let current = handler;
  const server = createServer(async (req, res) => {
    try {
      await current(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(599);
      res.end(String(error));
    }
  });
  server.on("connection", (socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    get openSockets() {
      return sockets.size;
    },
    /** Resolves once the server holds no open socket. */
    async allClosed() {
      while (sockets.size > 0) {
        await Promise.all(
          [...sockets].map((socket) => new Promise((resolve) => socket.once("close", resolve))),
        );
      }
    },
    setHandler(next: Handler) {
      current = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json;charset=UTF-8", ...headers });
  res.end(JSON.stringify(body));
}

export async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A minimal forward proxy: tunnels CONNECT, records each tunnel and its Proxy-Authorization. */
export async function startProxy(refuse?: { status: number; text: string }) {
  const tunnels: Array<{ target: string; authorization: string | undefined }> = [];
  const sockets = new Set<Socket>();
  const proxy = createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  proxy.on("connect", (req: IncomingMessage, clientSocket: Socket, head: Buffer) => {
    tunnels.push({ target: req.url ?? "", authorization: req.headers["proxy-authorization"] });
    if (refuse) {
      clientSocket.end(`HTTP/1.1 ${refuse.status} ${refuse.text}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const [host = "", port = ""] = (req.url ?? "").split(":");
    const upstream = connect(Number(port), host, () => {
      clientSocket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    for (const socket of [clientSocket, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    tunnels,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
