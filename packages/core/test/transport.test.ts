import { type IncomingMessage, createServer, request as httpRequest } from "node:http";
import { type Socket, connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConfigurationError,
  type Transport,
  bypassesProxy,
  createClient,
  proxySelector,
} from "../src/index.js";
import { json, startTestServer } from "./helpers/test-server.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer((req, res) => json(res, 200, { url: req.url }));
});
afterAll(() => server.close());

describe("keep-alive", () => {
  it("many requests reuse a few sockets (one keep-alive agent per client)", async () => {
    const client = createClient({ instanceUrl: server.url, sessionId: "s" });
    const before = server.connections;
    for (let i = 0; i < 50; i++) await client.request({ path: `sobjects/Account/${i}` });
    await Promise.all(Array.from({ length: 20 }, (_, i) => client.request({ path: `x/${i}` })));
    const opened = server.connections - before;
    expect(opened).toBeGreaterThanOrEqual(1);
    expect(opened).toBeLessThanOrEqual(20);
    await client.close();
  });
});

/** A minimal forward proxy that tunnels CONNECT and counts what went through it. */
async function startProxy() {
  const tunnels: string[] = [];
  const proxy = createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  const sockets = new Set<Socket>();
  proxy.on("connect", (req: IncomingMessage, clientSocket: Socket, head: Buffer) => {
    tunnels.push(req.url ?? "");
    const [host, port] = (req.url ?? "").split(":");
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
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}

describe("proxy", () => {
  it("requests go through the proxy when one is set", async () => {
    const proxy = await startProxy();
    const client = createClient({ instanceUrl: server.url, sessionId: "s", proxy: proxy.url });
    await expect(client.request({ path: "limits" })).resolves.toMatchObject({
      data: { url: "/services/data/v62.0/limits" },
    });
    expect(proxy.tunnels).toEqual([`127.0.0.1:${server.port}`]);
    await client.close();
    await proxy.close();
  });

  it("NO_PROXY is honoured: listed hosts go direct (F21)", async () => {
    const proxy = await startProxy();
    const client = createClient({
      instanceUrl: server.url,
      sessionId: "s",
      proxy: { url: proxy.url, noProxy: "localhost,127.0.0.1" },
    });
    await client.request({ path: "limits" });
    expect(proxy.tunnels).toEqual([]);
    await client.close();
    await proxy.close();
  });

  it("reads HTTPS_PROXY / NO_PROXY from the environment only when asked", () => {
    const saved = { ...process.env };
    process.env.HTTPS_PROXY = "http://proxy.corp:3128";
    process.env.NO_PROXY = ".salesforce.com, internal.example:8443";
    try {
      expect(proxySelector(undefined)("https://acme.my.salesforce.com")).toBeUndefined();
      const fromEnv = proxySelector({ fromEnv: true });
      expect(fromEnv("https://acme.my.salesforce.com/x")).toBeUndefined();
      expect(fromEnv("https://login.example.com/x")).toBe("http://proxy.corp:3128");
      expect(fromEnv("https://internal.example:8443/")).toBeUndefined();
      expect(fromEnv("https://internal.example/")).toBe("http://proxy.corp:3128");
    } finally {
      process.env = saved;
    }
  });

  it.each([
    ["https://acme.my.salesforce.com", ["salesforce.com"], true],
    ["https://acme.my.salesforce.com", [".salesforce.com"], true],
    ["https://acme.my.salesforce.com", ["*.salesforce.com"], true],
    ["https://notsalesforce.com", ["salesforce.com"], false],
    ["http://127.0.0.1:8080", ["127.0.0.1:8080"], true],
    ["http://127.0.0.1:8081", ["127.0.0.1:8080"], false],
    ["https://anything.example", ["*"], true],
  ])("bypassesProxy(%s, %j) is %s", (url, list, expected) => {
    expect(bypassesProxy(new URL(url), list)).toBe(expected);
  });

  it("a proxy that is not a URL is a ConfigurationError", () => {
    expect(() => createClient({ instanceUrl: server.url, sessionId: "s", proxy: "proxy.corp:3128" })).toThrow(
      /http:\/\/ or https:\/\/ URL/,
    );
  });
});

describe("pluggable transport", () => {
  it("an injected fetch (the global one) carries the requests", async () => {
    let calls = 0;
    const client = createClient({
      instanceUrl: server.url,
      sessionId: "s",
      fetch: (url, init) => {
        calls++;
        return fetch(url, init as RequestInit) as never;
      },
    });
    await expect(client.request({ path: "limits" })).resolves.toMatchObject({
      status: 200,
      data: { url: "/services/data/v62.0/limits" },
    });
    expect(calls).toBe(1);
    await client.close();
  });

  it("a custom transport replaces node-fetch without touching anything else", async () => {
    const seen: string[] = [];
    const transport: Transport = {
      name: "node-http",
      send: (request) =>
        new Promise((resolve, reject) => {
          seen.push(`${request.method} ${request.url}`);
          const req = httpRequest(
            request.url,
            { method: request.method, headers: request.headers, signal: request.signal },
            (res) => {
              const headers: Record<string, string> = {};
              for (const [key, value] of Object.entries(res.headers)) headers[key] = String(value);
              resolve({ status: res.statusCode ?? 0, headers, body: res });
            },
          );
          req.on("error", reject);
          req.end();
        }),
    };
    const client = createClient({ instanceUrl: server.url, sessionId: "s", transport: () => transport });
    await expect(client.request({ path: "limits" })).resolves.toMatchObject({
      data: { url: "/services/data/v62.0/limits" },
    });
    expect(seen).toEqual([`GET ${server.url}/services/data/v62.0/limits`]);
  });

  it("a transport that throws a ConfigurationError gets it back as is, without retries", async () => {
    let calls = 0;
    const transport: Transport = {
      name: "closed",
      send: async () => {
        calls++;
        throw new ConfigurationError("this transport was closed");
      },
    };
    const client = createClient({ instanceUrl: server.url, sessionId: "s", transport: () => transport });
    await expect(client.request({ path: "limits" })).rejects.toThrow(ConfigurationError);
    expect(calls).toBe(1);
  });

  it("a TLS verification failure keeps OpenSSL's code, says how to trust the certificate, and is not retried", async () => {
    let calls = 0;
    const transport: Transport = {
      name: "tls",
      send: async () => {
        calls++;
        throw new TypeError("fetch failed", {
          cause: Object.assign(new Error("self-signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }),
        });
      },
    };
    const client = createClient({
      instanceUrl: server.url,
      sessionId: "s",
      retry: { limit: 2, backoff: 1 },
      transport: () => transport,
    });
    const error = await client.request({ path: "limits" }).catch((e) => e);
    expect(error).toMatchObject({ name: "SalesforceConnectionError", code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    expect(error.message).toMatch(/DEPTH_ZERO_SELF_SIGNED_CERT.*`ca` option/);
    expect(calls).toBe(1);
  });

  it("a streamed response that the reader stops early is released (its socket is not left taken)", async () => {
    let released!: () => void;
    const closed = new Promise<void>((resolve) => {
      released = resolve;
    });
    server.setHandler(async (_req, res) => {
      res.on("close", () => released());
      res.writeHead(200, { "content-type": "text/csv" });
      for (let i = 0; i < 5000 && !res.destroyed; i++) {
        if (!res.write(`${"x".repeat(1000)}\n`)) await new Promise((resolve) => res.once("drain", resolve));
      }
      res.end();
    });
    const client = createClient({ instanceUrl: server.url, sessionId: "s" });
    const { data } = await client.request<AsyncIterable<Buffer>>({ path: "big", responseType: "stream" });
    for await (const _chunk of data) break;
    await closed;
    await client.close();
    server.setHandler((req, res) => json(res, 200, { url: req.url }));
  });

  it("a streamed response destroyed before it was read is released too", async () => {
    let released!: () => void;
    const closed = new Promise<void>((resolve) => {
      released = resolve;
    });
    server.setHandler((_req, res) => {
      res.on("close", () => released());
      res.writeHead(200, { "content-type": "text/csv" });
      res.write("a\n");
      const timer = setInterval(() => res.write("b\n"), 20);
      res.on("close", () => clearInterval(timer));
    });
    const client = createClient({ instanceUrl: server.url, sessionId: "s" });
    const { data } = await client.request<NodeJS.ReadableStream & { destroy(): void }>({
      path: "endless",
      responseType: "stream",
    });
    data.destroy();
    await closed; // the server sees its response closed: the socket was given up, not left taken
    await client.close();
    server.setHandler((req, res) => json(res, 200, { url: req.url }));
  });

  it.each([
    ["node-fetch (the default)", {}],
    ["a fetch of the user's (Node's global fetch, web streams)", { fetch: globalThis.fetch }],
  ])(
    "a streamed response destroyed while it waits for the next chunk is released at once: %s",
    async (_, transport) => {
      let released!: () => void;
      const closed = new Promise<void>((resolve) => {
        released = resolve;
      });
      server.setHandler((_req, res) => {
        res.on("close", () => released());
        res.writeHead(200, { "content-type": "text/csv" });
        res.write("a\n"); // then silence: the reader waits for a chunk that does not come
      });
      const client = createClient({ instanceUrl: server.url, sessionId: "s", ...transport });
      const { data } = await client.request<NodeJS.ReadableStream & { destroy(): void }>({
        path: "quiet",
        responseType: "stream",
      });
      await new Promise((resolve) => data.once("data", resolve)); // reading has begun
      data.destroy();
      await closed; // without the release, only the body time-out (minutes) would close it
      await client.close();
      server.setHandler((req, res) => json(res, 200, { url: req.url }));
    },
  );
});
