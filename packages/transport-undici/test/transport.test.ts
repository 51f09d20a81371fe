import {
  ConfigurationError,
  SalesforceAbortError,
  SalesforceConnectionError,
  SalesforceGeneralError,
  SalesforceTimeoutError,
  createClient,
} from "@sfkit/core";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { undiciTransport } from "../src/index.js";
import { readAll, sendJson, startLoopback, startProxy } from "./helpers/loopback.js";

let server: Awaited<ReturnType<typeof startLoopback>>;
beforeAll(async () => {
  server = await startLoopback((req, res) => sendJson(res, 200, { url: req.url, method: req.method }));
});
afterAll(() => server.close());

const clientFor = (url: string, options: Parameters<typeof undiciTransport>[0] = {}, extra = {}) =>
  createClient({
    transport: undiciTransport(options),
    instanceUrl: url,
    sessionId: "00Dcanary!TOKEN",
    ...extra,
  });

describe("undiciTransport: requests and responses", () => {
  it("sends method, URL, headers and body as core prepared them and hands back lower-case headers", async () => {
    const seen: Array<{ method?: string; url?: string; headers: Record<string, unknown>; body: string }> = [];
    server.setHandler(async (req, res) => {
      seen.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: (await readAll(req)).toString(),
      });
      res.writeHead(201, {
        "Content-Type": "application/json",
        "X-Multi": ["a", "b"],
        "Sforce-Limit-Info": "api-usage=3/15000",
      });
      res.end('{"id":"001XX0000000001AAA","success":true,"errors":[]}');
    });
    const client = clientFor(server.url);
    const response = await client.request({
      method: "POST",
      path: "sobjects/Account",
      query: { a: "x y+z" },
      body: { Name: "Acme & Co" },
    });
    expect(response).toMatchObject({ status: 201, data: { id: "001XX0000000001AAA", success: true } });
    expect(response.headers["x-multi"]).toBe("a, b");
    expect(client.apiUsage).toEqual({ used: 3, limit: 15000 });
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "/services/data/v62.0/sobjects/Account?a=x%20y%2Bz",
      headers: {
        authorization: "Bearer 00Dcanary!TOKEN",
        "content-type": "application/json",
        "content-length": "20",
      },
      body: '{"Name":"Acme & Co"}',
    });
    await client.close();
  });

  it("sends paths that still hold raw spaces or non-ASCII characters percent-encoded", async () => {
    const urls: Array<string | undefined> = [];
    server.setHandler((req, res) => {
      urls.push(req.url);
      sendJson(res, 200, {});
    });
    const client = clientFor(server.url);
    await client.request({ path: "/services/apexrest/Account/a b/é" });
    await client.request({ path: "/services/apexrest/plain/x", query: { q: "é" } });
    expect(urls).toEqual(["/services/apexrest/Account/a%20b/%C3%A9", "/services/apexrest/plain/x?q=%C3%A9"]);
    await client.close();
  });

  it("drops connection-level headers undici refuses, instead of failing the call", async () => {
    let seen: Record<string, unknown> = {};
    server.setHandler((req, res) => {
      seen = req.headers;
      sendJson(res, 200, {});
    });
    const client = clientFor(server.url, {}, { headers: { "Keep-Alive": "timeout=1" } });
    await expect(
      client.request({
        path: "limits",
        headers: { "Transfer-Encoding": "chunked", Expect: "100-continue", Upgrade: "h2c", "X-Kept": "yes" },
      }),
    ).resolves.toMatchObject({ status: 200 });
    expect(seen["x-kept"]).toBe("yes");
    expect(seen["keep-alive"]).toBeUndefined();
    expect(seen.expect).toBeUndefined();
    await client.close();
  });

  it("does not decompress by itself: core decodes gzip once (no double decoding, no lost bytes)", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(JSON.stringify({ records: ["é", "x".repeat(10_000)] })));
    });
    const client = clientFor(server.url);
    const { data } = await client.request<{ records: string[] }>({ path: "query" });
    expect(data.records[0]).toBe("é");
    expect(data.records[1]).toHaveLength(10_000);
    await client.close();
  });

  it("leaves redirects to core (a POST is never re-sent as a GET)", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(302, { location: "/elsewhere" });
      res.end();
    });
    const client = clientFor(server.url);
    await expect(client.request({ method: "POST", path: "x", body: { a: 1 } })).rejects.toBeInstanceOf(
      SalesforceGeneralError,
    );
    await client.close();
  });

  it("an error status becomes core's typed error with the parsed body", async () => {
    server.setHandler((_req, res) =>
      sendJson(res, 404, [{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }]),
    );
    const client = clientFor(server.url);
    await expect(client.request({ path: "sobjects/Nope" })).rejects.toMatchObject({
      name: "SalesforceResourceNotFound",
      status: 404,
      errorCode: "NOT_FOUND",
    });
    await client.close();
  });
});

describe("undiciTransport: connection reuse", () => {
  it("keeps connections alive: 50 sequential requests use one socket", async () => {
    server.setHandler((req, res) => sendJson(res, 200, { url: req.url }));
    const client = clientFor(server.url);
    const before = server.connections;
    for (let i = 0; i < 50; i++) await client.request({ path: `sobjects/Account/${i}` });
    expect(server.connections - before).toBe(1);
    await client.close();
  });

  it("the connections option caps the sockets opened for concurrent requests", async () => {
    const waiting: Array<() => void> = [];
    let arrived = 0;
    server.setHandler(async (req, res) => {
      arrived++;
      if (arrived <= 3) await new Promise<void>((resolve) => waiting.push(resolve));
      sendJson(res, 200, { url: req.url });
    });
    const client = clientFor(server.url, { connections: 3 });
    const before = server.connections;
    const all = Promise.all(Array.from({ length: 30 }, (_, i) => client.request({ path: `x/${i}` })));
    while (waiting.length < 3) await new Promise((resolve) => setImmediate(resolve));
    for (const release of waiting) release();
    const results = await all;
    expect(results).toHaveLength(30);
    expect(server.connections - before).toBe(3);
    await client.close();
  });
});

describe("undiciTransport: streaming", () => {
  it("streams a request body up (Readable and async iterable) without buffering it first", async () => {
    server.setHandler(async (req, res) => {
      let bytes = 0;
      for await (const chunk of req) bytes += (chunk as Buffer).length;
      sendJson(res, 200, { bytes, chunked: req.headers["transfer-encoding"] ?? null });
    });
    const client = clientFor(server.url);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let produced = 0;
    const stream = Readable.from(
      (function* () {
        for (let i = 0; i < 80; i++) {
          produced++;
          yield chunk;
        }
      })(),
    );
    const fromReadable = await client.request({
      method: "PUT",
      path: "/services/data/v62.0/jobs/ingest/750XX/batches",
      body: stream,
      headers: { "content-type": "text/csv" },
    });
    expect(produced).toBe(80);
    expect(fromReadable.data).toEqual({ bytes: 80 * 64 * 1024, chunked: "chunked" });
    async function* lines() {
      for (let i = 0; i < 1000; i++) yield Buffer.from(`row ${i}\n`);
    }
    const fromIterable = await client.request({ method: "POST", path: "x", body: lines() });
    expect(fromIterable.data).toMatchObject({
      bytes: Array.from({ length: 1000 }, (_, i) => `row ${i}\n`).join("").length,
    });
    await client.close();
  });

  it("streams a response body down: the first chunk arrives before the server has finished", async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    server.setHandler(async (_req, res) => {
      res.writeHead(200, { "content-type": "text/csv" });
      res.write('"Id","Name"\n');
      await finished;
      for (let i = 0; i < 1000; i++) res.write(`"001${i}","Acme ${i}"\n`);
      res.end();
    });
    const client = clientFor(server.url);
    const response = await client.request<NodeJS.ReadableStream>({
      path: "jobs/query/750/results",
      responseType: "stream",
    });
    const iterator = (response.data as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value.toString()).toBe('"Id","Name"\n');
    finish();
    let rest = "";
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      rest += next.value.toString();
    expect(rest.split("\n").filter(Boolean)).toHaveLength(1000);
    await client.close();
  });
});

describe("undiciTransport: abort, time-outs, failures", () => {
  it("aborting a request through its signal rejects with SalesforceAbortError and frees the socket", async () => {
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let socketClosed!: Promise<unknown>;
    server.setHandler(async (req) => {
      socketClosed = new Promise((resolve) => req.socket.once("close", resolve));
      entered();
      // never answers
    });
    const client = clientFor(server.url);
    const controller = new AbortController();
    const pending = client.request({ path: "slow", signal: controller.signal });
    await inHandler;
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(SalesforceAbortError);
    await socketClosed; // the aborted connection is closed, not left hanging
    await client.close();
  });

  it("the client's per-attempt time-out applies (undici's own header time-out does not cut in first)", async () => {
    server.setHandler(async () => {
      // never answers
    });
    const client = clientFor(server.url, {}, { timeout: 150, retry: false });
    await expect(client.request({ path: "slow" })).rejects.toBeInstanceOf(SalesforceTimeoutError);
    await client.close();
  });

  it("a refused connection is a SalesforceConnectionError that says nothing was sent", async () => {
    const gone = await startLoopback(() => {});
    const url = gone.url;
    await gone.close();
    const client = clientFor(url, {}, { retry: false });
    const error = await client
      .request({ method: "POST", path: "sobjects/Account", body: {} })
      .catch((e) => e);
    expect(error).toBeInstanceOf(SalesforceConnectionError);
    expect(error).toMatchObject({ code: "ECONNREFUSED", notSent: true });
    expect(String(error.message)).not.toContain("canary");
    await client.close();
  });

  it("close() ends every pooled connection, and a closed client says so", async () => {
    server.setHandler((req, res) => sendJson(res, 200, { url: req.url }));
    const client = clientFor(server.url);
    await Promise.all(Array.from({ length: 5 }, (_, i) => client.request({ path: `x/${i}` })));
    expect(server.openSockets).toBeGreaterThan(0);
    await client.close();
    await server.allClosed();
    expect(server.openSockets).toBe(0);
    await expect(client.request({ path: "x" })).rejects.toThrow(/transport was closed.*create a new client/);
    await expect(client.request({ path: "x" })).rejects.toBeInstanceOf(ConfigurationError);
    await client.close(); // twice is fine
  });

  it("rejects nonsensical options up front", () => {
    expect(() => undiciTransport({ connections: 0 })).toThrow(/connections.*positive/);
    expect(() => undiciTransport({ keepAliveTimeout: -1 })).toThrow(ConfigurationError);
    expect(() => undiciTransport({ bodyTimeout: 0 })).not.toThrow();
  });

  it("a misspelt option is a ConfigurationError that names the option meant", () => {
    const misspelt = { conections: 4 } as Parameters<typeof undiciTransport>[0];
    expect(() => undiciTransport(misspelt)).toThrow(
      'undiciTransport() has no option "conections": did you mean "connections"?',
    );
    expect(() => undiciTransport({ body_timeout: 5 } as Parameters<typeof undiciTransport>[0])).toThrow(
      /did you mean "bodyTimeout"/,
    );
  });
});

describe("undiciTransport: proxies", () => {
  it("goes through the proxy given by settings.proxyFor, with credentials from the proxy URL", async () => {
    server.setHandler((req, res) => sendJson(res, 200, { url: req.url }));
    const proxy = await startProxy();
    const withAuth = proxy.url.replace("http://", "http://me:p%40ss@");
    const client = clientFor(server.url, {}, { proxy: withAuth });
    await client.request({ path: "limits" });
    await client.request({ path: "limits" });
    expect(proxy.tunnels).toEqual([
      {
        target: `127.0.0.1:${server.port}`,
        authorization: `Basic ${Buffer.from("me:p@ss").toString("base64")}`,
      },
    ]);
    await client.close();
    await proxy.close();
  });

  it("a proxy that wants credentials is a ConfigurationError that never shows the proxy password", async () => {
    const proxy = await startProxy({ status: 407, text: "Proxy Authentication Required" });
    const client = clientFor(server.url, {}, { proxy: proxy.url.replace("http://", "http://me:canary-PW@") });
    const error = await client.request({ path: "limits" }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toMatch(
      /407 Proxy Authentication Required for 127\.0\.0\.1:\d+: give its user and password/,
    );
    expect(`${error?.message} ${error?.stack} ${JSON.stringify(error)}`).not.toContain("canary-PW");
    expect(proxy.tunnels).toHaveLength(1); // not retried
    await client.close();
    await proxy.close();
  });

  it("a proxy that refuses the tunnel otherwise is a connection error with its status", async () => {
    const proxy = await startProxy({ status: 403, text: "Forbidden" });
    const client = clientFor(server.url, {}, { proxy: proxy.url, retry: false });
    await expect(client.request({ path: "limits" })).rejects.toMatchObject({
      name: "SalesforceConnectionError",
      code: "ERR_PROXY_403",
    });
    await client.close();
    await proxy.close();
  });

  it("connects directly to hosts on the NO_PROXY list (F21)", async () => {
    const proxy = await startProxy();
    const client = clientFor(server.url, {}, { proxy: { url: proxy.url, noProxy: "127.0.0.1" } });
    await expect(client.request({ path: "limits" })).resolves.toMatchObject({ status: 200 });
    expect(proxy.tunnels).toEqual([]);
    await client.close();
    await proxy.close();
  });

  it("a custom dispatcher is used as given and left open by close()", async () => {
    const { Agent } = await import("undici");
    const agent = new Agent();
    server.setHandler((req, res) => sendJson(res, 200, { url: req.url }));
    const client = clientFor(server.url, { dispatcher: agent });
    await client.request({ path: "limits" });
    await client.close();
    expect(agent.destroyed).toBe(false);
    await agent.close();
  });
});
