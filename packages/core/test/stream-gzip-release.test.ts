import { gzipSync } from "node:zlib";
import type { Readable } from "node:stream";
import { createClient } from "@sfkit/core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestServer } from "./helpers/test-server.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
const faults: unknown[] = [];
const onFault = (e: unknown) => faults.push(e);
beforeAll(async () => {
  server = await startTestServer((_r, res) => res.end("ok"));
});
afterAll(() => server.close());
beforeEach(() => {
  faults.length = 0;
  process.on("uncaughtException", onFault);
  process.on("unhandledRejection", onFault);
});
afterEach(() => {
  process.off("uncaughtException", onFault);
  process.off("unhandledRejection", onFault);
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// a gzip body whose first part arrives, then silence
const big = gzipSync(Buffer.from("x".repeat(200_000) + "y".repeat(200_000)));
const transports: Array<[string, object]> = [
  ["node-fetch (default)", {}],
  ["global fetch", { fetch: globalThis.fetch }],
];

describe.each(transports)("gzip stream destroyed mid-read: %s", (_name, extra) => {
  it("destroy while waiting for the next chunk: no uncaught error, 'close' is emitted, socket freed", async () => {
    let closed!: () => void;
    const serverClosed = new Promise<void>((r) => {
      closed = r;
    });
    server.setHandler((_req, res) => {
      res.on("close", () => closed());
      res.writeHead(200, { "content-type": "text/csv", "content-encoding": "gzip" });
      res.write(big.subarray(0, 1000)); // then silence
    });
    const client = createClient({ instanceUrl: server.url, sessionId: "s", ...extra });
    const { data } = await client.request<Readable>({ path: "gz", responseType: "stream" });
    await new Promise((r) => data.once("data", r));
    const gotClose = new Promise<string>((r) => data.once("close", () => r("close")));
    data.on("error", () => undefined);
    data.destroy();
    await serverClosed;
    const outcome = await Promise.race([gotClose, sleep(1000).then(() => "no close")]);
    await sleep(50);
    expect({ outcome, faults: faults.map(String) }).toEqual({ outcome: "close", faults: [] });
    await client.close();
  });

  it("destroy before reading a gzip stream", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "text/csv", "content-encoding": "gzip" });
      res.write(big.subarray(0, 1000));
    });
    const client = createClient({ instanceUrl: server.url, sessionId: "s", ...extra });
    const { data } = await client.request<Readable>({ path: "gz", responseType: "stream" });
    const gotClose = new Promise<string>((r) => data.once("close", () => r("close")));
    data.destroy();
    const outcome = await Promise.race([gotClose, sleep(1000).then(() => "no close")]);
    await sleep(50);
    expect({ outcome, faults: faults.map(String) }).toEqual({ outcome: "close", faults: [] });
    await client.close();
  });

  it("read a gzip stream fully", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "text/csv", "content-encoding": "gzip" });
      res.end(big);
    });
    const client = createClient({ instanceUrl: server.url, sessionId: "s", ...extra });
    const { data } = await client.request<Readable>({ path: "gz", responseType: "stream" });
    let n = 0;
    for await (const c of data) n += (c as Buffer).length;
    expect(n).toBe(400_000);
    await sleep(20);
    expect(faults.map(String)).toEqual([]);
    await client.close();
  });
});

describe.each(transports)("gzip stream cut by the server mid-body: %s", (_name, extra) => {
  it("the reader gets an error on the stream, not an uncaught exception", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "text/csv", "content-encoding": "gzip" });
      res.write(big.subarray(0, 1000));
      setTimeout(() => res.destroy(), 30);
    });
    const client = createClient({ instanceUrl: server.url, sessionId: "s", retry: { limit: 0 }, ...extra });
    const { data } = await client.request<Readable>({ path: "gz", responseType: "stream" });
    const outcome = await Promise.race([
      (async () => {
        try {
          for await (const _ of data);
          return "ended";
        } catch {
          return "error";
        }
      })(),
      sleep(2000).then(() => "hang"),
    ]);
    await sleep(50);
    expect({ outcome, faults: faults.map(String) }).toEqual({ outcome: "error", faults: [] });
    await client.close();
  });
});
