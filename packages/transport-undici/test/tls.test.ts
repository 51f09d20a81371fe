import { SalesforceConnectionError, createClient } from "@sfkit/core";
import { createServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { undiciTransport } from "../src/index.js";
import { startProxy } from "./helpers/loopback.js";
import { TEST_CERT, TEST_KEY } from "./helpers/tls-material.js";

let url: string;
let port: number;
const sockets = new Set<Socket>();
const server = createServer({ cert: TEST_CERT, key: TEST_KEY }, (req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ url: req.url, secure: true }));
});
server.on("connection", (socket: Socket) => {
  sockets.add(socket);
  socket.on("close", () => sockets.delete(socket));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  url = `https://localhost:${port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("undiciTransport: TLS", () => {
  it("refuses a certificate nobody vouched for (verification is never turned off)", async () => {
    const client = createClient({
      transport: undiciTransport(),
      instanceUrl: url,
      sessionId: "s",
      retry: false,
    });
    const error = await client.request({ path: "limits" }).catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceConnectionError);
    expect(error.code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    await client.close();
  });

  it("trusts the extra CA given to the client, directly and through a proxy", async () => {
    const direct = createClient({
      transport: undiciTransport(),
      instanceUrl: url,
      sessionId: "s",
      ca: TEST_CERT,
    });
    await expect(direct.request({ path: "limits" })).resolves.toMatchObject({
      data: { url: "/services/data/v62.0/limits", secure: true },
    });
    await direct.close();

    const proxy = await startProxy();
    const proxied = createClient({
      transport: undiciTransport(),
      instanceUrl: url,
      sessionId: "s",
      ca: [TEST_CERT],
      proxy: proxy.url,
    });
    await expect(proxied.request({ path: "limits" })).resolves.toMatchObject({ data: { secure: true } });
    expect(proxy.tunnels.map((t) => t.target)).toEqual([`localhost:${port}`]);
    await proxied.close();
    await proxy.close();
  });
});
