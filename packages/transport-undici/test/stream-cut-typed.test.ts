// The error a body's reader sees when the server cuts the socket mid-body,
// undici transport vs the default transport (core's error promise: "every error is a SalesforceError").
import type { Readable } from "node:stream";
import { createClient } from "@sfkit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { undiciTransport } from "../src/index.js";
import { startLoopback } from "./helpers/loopback.js";

let server: Awaited<ReturnType<typeof startLoopback>>;
beforeAll(async () => {
  server = await startLoopback((_req, res) => {
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": "100000" });
    res.write(Buffer.alloc(1000, 97));
    setTimeout(() => res.socket?.destroy(), 30);
  });
});
afterAll(() => server.close());

/** A client on the undici transport or on core's default, with no retries (a cut is final). */
const clientOf = (kind: string) =>
  createClient({
    ...(kind === "undici" ? { transport: undiciTransport() } : {}),
    instanceUrl: server.url,
    sessionId: "s",
    retry: { limit: 0 },
  });

describe.each(["undici", "default"])("%s", (kind) => {
  it("a body cut mid-way: the stream reader's error", async () => {
    const client = clientOf(kind);
    const { data } = await client.request<Readable>({ path: "cut", responseType: "stream" });
    let error: (Error & { code?: string }) | undefined;
    try {
      for await (const _ of data as AsyncIterable<Buffer>) {
        // reading
      }
    } catch (e) {
      error = e as Error;
    }
    await client.close();
    expect(error?.name).toBe("SalesforceConnectionError");
    expect(error?.code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET|ERR_STREAM_PREMATURE_CLOSE)$/); // the transport's code
  });
  it("a body cut mid-way, read whole: a SalesforceConnectionError with the transport's code", async () => {
    const client = clientOf(kind);
    const error = await client.request({ path: "cut", responseType: "buffer" }).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    await client.close();
    expect(error?.name).toBe("SalesforceConnectionError");
    expect(error?.code).toMatch(/^(UND_ERR_SOCKET|ECONNRESET|ERR_STREAM_PREMATURE_CLOSE)$/);
  });
  it("caller aborts after the headers, mid-read: the stream reader's error", async () => {
    const client = clientOf(kind);
    const ac = new AbortController();
    const { data } = await client.request<Readable>({
      path: "cut",
      responseType: "stream",
      signal: ac.signal,
    });
    let error: (Error & { code?: string }) | undefined;
    try {
      for await (const _ of data as AsyncIterable<Buffer>) ac.abort();
    } catch (e) {
      error = e as Error;
    }
    await client.close();
    expect(error?.name).toBe("SalesforceAbortError");
  });
});
