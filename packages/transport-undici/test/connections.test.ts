import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import {
  ConfigurationError,
  SalesforceAbortError,
  SalesforceConnectionError,
  SalesforceTimeoutError,
  createClient,
} from "@sfkit/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { undiciTransport } from "../src/index.js";
import { sendJson, startLoopback } from "./helpers/loopback.js";

let server: Awaited<ReturnType<typeof startLoopback>>;
beforeAll(async () => {
  server = await startLoopback((req, res) => sendJson(res, 200, { url: req.url }));
});
afterAll(() => server.close());

const clientFor = (url: string, options: Parameters<typeof undiciTransport>[0] = {}, extra = {}) =>
  createClient({ transport: undiciTransport(options), instanceUrl: url, sessionId: "s", ...extra });

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A handler that holds the first `held` requests until `releaseAll()`, recording arrival order. */
function holdFirst(held: number) {
  const arrived: string[] = [];
  const waiting: Array<() => void> = [];
  return {
    arrived,
    waiting,
    releaseAll: () => {
      for (const release of waiting.splice(0)) release();
    },
    handler: async (req: { url?: string }, res: Parameters<typeof sendJson>[0]) => {
      arrived.push(req.url ?? "");
      if (arrived.length <= held) await new Promise<void>((resolve) => waiting.push(resolve));
      sendJson(res, 200, { url: req.url });
    },
  };
}

describe("undiciTransport: its own connections (one request at a time on each)", () => {
  it("a connection is free again as soon as its response has been read: a loop of 30 opens one", async () => {
    server.setHandler((req, res) => sendJson(res, 200, { url: req.url }));
    const client = clientFor(server.url, { connections: 1 });
    const before = server.connections;
    for (let i = 0; i < 30; i++) {
      await expect(client.request({ path: `loop/${i}` })).resolves.toMatchObject({
        data: { url: `/services/data/v62.0/loop/${i}` },
      });
    }
    expect(server.connections - before).toBe(1);
    await client.close();
  });

  it("requests beyond the limit wait in line and are sent in the order they were made", async () => {
    const hold = holdFirst(2);
    server.setHandler(hold.handler);
    const client = clientFor(server.url, { connections: 2 });
    const before = server.connections;
    const all = Promise.all(Array.from({ length: 8 }, (_, i) => client.request({ path: `q/${i}` })));
    while (hold.waiting.length < 2) await nextTurn();
    // the first two hold both connections: nothing else has reached the server
    for (let i = 0; i < 5; i++) await nextTurn();
    expect(hold.arrived).toHaveLength(2);
    hold.releaseAll();
    const results = await all;
    expect(results.map((r) => (r.data as { url: string }).url)).toEqual(
      Array.from({ length: 8 }, (_, i) => `/services/data/v62.0/q/${i}`),
    );
    expect(hold.arrived.slice(2)).toEqual(
      Array.from({ length: 6 }, (_, i) => `/services/data/v62.0/q/${i + 2}`),
    );
    expect(server.connections - before).toBe(2);
    await client.close();
  });

  it("a request waiting in line can be aborted by its caller, and never reaches the server", async () => {
    const hold = holdFirst(1);
    server.setHandler(hold.handler);
    const client = clientFor(server.url, { connections: 1 });
    const first = client.request({ path: "first" });
    while (hold.waiting.length < 1) await nextTurn();
    const controller = new AbortController();
    const second = client.request({ path: "second", signal: controller.signal });
    const third = client.request({ path: "third" });
    await nextTurn();
    controller.abort();
    await expect(second).rejects.toBeInstanceOf(SalesforceAbortError);
    hold.releaseAll();
    await expect(first).resolves.toMatchObject({ status: 200 });
    await expect(third).resolves.toMatchObject({ data: { url: "/services/data/v62.0/third" } });
    expect(hold.arrived).toEqual(["/services/data/v62.0/first", "/services/data/v62.0/third"]);
    await client.close();
  });

  it("a request that waits in line longer than its time-out fails with the time-out, unsent", async () => {
    const hold = holdFirst(1);
    server.setHandler(hold.handler);
    const client = clientFor(server.url, { connections: 1 }, { retry: { limit: 0 } });
    const first = client.request({ path: "slow", timeout: 5_000 });
    while (hold.waiting.length < 1) await nextTurn();
    await expect(client.request({ path: "queued", timeout: 100 })).rejects.toBeInstanceOf(
      SalesforceTimeoutError,
    );
    hold.releaseAll();
    await first;
    expect(hold.arrived).toEqual(["/services/data/v62.0/slow"]);
    await client.close();
  });

  it("closing the client fails the requests still in line with a clear error", async () => {
    const hold = holdFirst(1);
    server.setHandler(hold.handler);
    const client = clientFor(server.url, { connections: 1 }, { retry: { limit: 0 } });
    const first = client.request({ path: "held" }).catch((error: unknown) => error);
    while (hold.waiting.length < 1) await nextTurn();
    const queued = client.request({ path: "queued" }).catch((error: unknown) => error);
    await nextTurn();
    await client.close();
    const error = await queued;
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String((error as Error).message)).toMatch(/transport was closed/);
    expect(await first).toBeInstanceOf(Error);
    hold.releaseAll();
  });

  it("a server that closes every connection (Connection: close) gets a new one per request", async () => {
    server.setHandler((req, res) => sendJson(res, 200, { url: req.url }, { connection: "close" }));
    const client = clientFor(server.url, { connections: 1 });
    const before = server.connections;
    for (let i = 0; i < 5; i++) await expect(client.request({ path: `c/${i}` })).resolves.toBeTruthy();
    expect(server.connections - before).toBe(5);
    await client.close();
  });

  it("a body cut mid-way gives its connection back: the next request goes through", async () => {
    server.setHandler((req, res) => {
      if (req.url?.includes("cut")) {
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        res.write('{"partial":');
        setTimeout(() => res.destroy(), 10);
      } else sendJson(res, 200, { url: req.url });
    });
    const client = clientFor(server.url, { connections: 1 }, { retry: { limit: 0 } });
    await expect(client.request({ path: "cut" })).rejects.toBeInstanceOf(SalesforceConnectionError);
    await expect(client.request({ path: "after" })).resolves.toMatchObject({
      data: { url: "/services/data/v62.0/after" },
    });
    await client.close();
  });

  it("a streamed body left unread holds its connection; given up, it frees it", async () => {
    server.setHandler((req, res) => {
      if (req.url?.includes("stream")) {
        res.writeHead(200, { "content-type": "text/csv" });
        res.write("a\n");
        const timer = setInterval(() => res.write("b\n"), 20);
        res.on("close", () => clearInterval(timer));
      } else sendJson(res, 200, { url: req.url });
    });
    const client = clientFor(server.url, { connections: 1 }, { timeout: 5_000 });
    const { data } = await client.request<Readable>({ path: "stream", responseType: "stream" });
    let second = false;
    const next = client.request({ path: "next" }).then((r) => {
      second = true;
      return r;
    });
    for (let i = 0; i < 10; i++) await nextTurn();
    expect(second).toBe(false);
    data.destroy();
    await expect(next).resolves.toMatchObject({ data: { url: "/services/data/v62.0/next" } });
    await client.close();
  });

  describe("a streamed body its caller does not read to the end frees its connection", () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    beforeEach(() => {
      server.setHandler((req, res) => {
        res.writeHead(200, { "content-type": "text/csv" });
        if (req.url?.includes("small")) res.end("a\nb\n");
        else if (req.url?.includes("quiet"))
          res.write("a\n"); // then silence
        else sendJson(res, 200, { url: req.url });
      });
    });
    /** The next request on the one connection goes through: it was given back. */
    const nextGoesThrough = (client: ReturnType<typeof clientFor>) =>
      expect(client.request({ path: "next", timeout: 2_000 })).resolves.toMatchObject({ status: 200 });
    const noRetry = { retry: { limit: 0 } };

    it("when it arrived in full but is never read", async () => {
      const client = clientFor(server.url, { connections: 1 }, noRetry);
      await client.request<Readable>({ path: "small", responseType: "stream" }); // kept, never read
      await nextGoesThrough(client);
      await client.close();
    });

    it("when the caller aborts it before reading", async () => {
      const client = clientFor(server.url, { connections: 1 }, noRetry);
      const controller = new AbortController();
      await client.request<Readable>({ path: "quiet", responseType: "stream", signal: controller.signal });
      controller.abort();
      await nextGoesThrough(client);
      await client.close();
    });

    it("when the body time-out fires before it was read", async () => {
      const client = clientFor(server.url, { connections: 1, bodyTimeout: 100 }, noRetry);
      await client.request<Readable>({ path: "quiet", responseType: "stream" });
      await sleep(300); // undici's body time-out has fired and closed the socket
      await nextGoesThrough(client);
      await client.close();
    });

    it("when it is destroyed while waiting for its next chunk", async () => {
      const client = clientFor(server.url, { connections: 1 }, noRetry);
      const { data } = await client.request<Readable>({ path: "quiet", responseType: "stream" });
      await new Promise((resolve) => data.once("data", resolve)); // the first chunk is in
      data.destroy();
      await nextGoesThrough(client);
      await client.close();
    });
  });

  it("after a refused connection the next request opens a new one to the server that came up", async () => {
    const port = await freePort();
    const client = clientFor(`http://127.0.0.1:${port}`, { connections: 1 }, { retry: { limit: 0 } });
    await expect(client.request({ path: "down" })).rejects.toMatchObject({
      name: "SalesforceConnectionError",
      notSent: true,
    });
    const up = createServer((req, res) => sendJson(res, 200, { url: req.url }));
    await new Promise<void>((resolve) => up.listen(port, "127.0.0.1", resolve));
    try {
      await expect(client.request({ path: "up" })).resolves.toMatchObject({
        data: { url: "/services/data/v62.0/up" },
      });
    } finally {
      await client.close();
      await close(up);
    }
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await close(probe);
  return port;
}

function close(target: Server): Promise<void> {
  return new Promise((resolve) => target.close(() => resolve()));
}
