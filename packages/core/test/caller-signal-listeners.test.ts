// A caller's AbortSignal often outlives many requests (one per job, per worker, per app).
// Core listens to it only while a request can still be aborted: a finished request, streamed
// or not, must leave no listener behind, or they pile up (a leak, and Node's
// MaxListenersExceededWarning after ten of them).
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { SalesforceAbortError, SalesforceResourceNotFound, createClient } from "../src/index.js";
import { startTestServer } from "./helpers/test-server.js";

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const listeners = (signal: AbortSignal) => getEventListeners(signal, "abort").length;

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

describe("the caller's signal after a request", () => {
  it("has no listener left once JSON, streamed and failed responses are done", async () => {
    server = await startTestServer((req, res) => {
      if (req.url.includes("missing")) {
        res.statusCode = 404;
        res.setHeader("content-type", "application/json");
        res.end(
          JSON.stringify([{ errorCode: "NOT_FOUND", message: "The requested resource does not exist" }]),
        );
        return;
      }
      res.setHeader("content-type", req.url.includes("csv") ? "text/csv" : "application/json");
      res.end(req.url.includes("csv") ? 'Id\n"001"\n' : JSON.stringify({ ok: true }));
    });
    const client = createClient({ instanceUrl: server.url, sessionId: "00D!x" });
    const caller = new AbortController();
    const signal = caller.signal;

    await client.request({ path: "limits", signal });
    expect(listeners(signal)).toBe(0);

    for (let i = 0; i < 12; i++) {
      const { data } = await client.request({ path: "results/csv", signal, responseType: "stream" });
      expect(await readAll(data as AsyncIterable<Uint8Array>)).toBe('Id\n"001"\n');
    }
    expect(listeners(signal)).toBe(0);

    await expect(client.request({ path: "missing", signal, responseType: "stream" })).rejects.toBeInstanceOf(
      SalesforceResourceNotFound,
    );
    expect(listeners(signal)).toBe(0);
    await client.close();
  });

  it("still aborts a streamed body that is being read, then lets go of the signal", async () => {
    server = await startTestServer((_req, res) => {
      res.setHeader("content-type", "text/csv");
      res.write("Id\n");
      // the rest never comes: only the caller's abort can end this read
    });
    const client = createClient({ instanceUrl: server.url, sessionId: "00D!x" });
    const caller = new AbortController();
    const { data } = await client.request({ path: "results", signal: caller.signal, responseType: "stream" });
    const reading = readAll(data as AsyncIterable<Uint8Array>);
    caller.abort();
    await expect(reading).rejects.toThrow();
    expect(listeners(caller.signal)).toBe(0);
    await client.close();
  });

  it("carries one listener however many requests share it, and aborts every one of them", async () => {
    const held: (() => void)[] = [];
    server = await startTestServer((req, res) => {
      if (req.url.includes("fast")) {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ ok: true }));
        return;
      }
      held.push(() => res.end("{}")); // answered only after the test, if ever
    });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    const client = createClient({ instanceUrl: server.url, sessionId: "00D!x" });
    const caller = new AbortController();
    const signal = caller.signal;
    try {
      await Promise.all(Array.from({ length: 30 }, () => client.request({ path: "fast", signal })));
      expect(listeners(signal)).toBe(0);
      const pending = Array.from({ length: 30 }, () => client.request({ path: "slow", signal }));
      const settled = Promise.allSettled(pending);
      while (held.length < 30) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(listeners(signal)).toBe(1);
      caller.abort();
      const outcomes = await settled;
      expect(outcomes.every((o) => o.status === "rejected" && o.reason instanceof SalesforceAbortError)).toBe(
        true,
      );
      expect(listeners(signal)).toBe(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
      for (const release of held) release();
      await client.close();
    }
  });
});
