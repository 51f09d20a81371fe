// the caller aborts while core reads a (non-streamed) body: the error class, and
// whether core re-sends the request after the caller said stop.
import { createClient } from "@sfkit/core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { undiciTransport } from "../src/index.js";
import { startLoopback } from "./helpers/loopback.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let server: Awaited<ReturnType<typeof startLoopback>>;
let hits = 0;
beforeAll(async () => {
  server = await startLoopback(async (_req, res) => {
    hits++;
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"a":');
    await sleep(300);
    if (!res.destroyed) res.end("1}");
  });
});
afterAll(() => server.close());
beforeEach(() => {
  hits = 0;
});

describe.each(["undici", "default"])("%s", (kind) => {
  it.each([false, true])(
    "abort mid-body of a GET (retries on: %s) is a SalesforceAbortError, not re-sent",
    async (retries) => {
      const client = createClient({
        ...(kind === "undici" ? { transport: undiciTransport() } : {}),
        instanceUrl: server.url,
        sessionId: "s",
        ...(retries ? {} : { retry: { limit: 0 } }),
      });
      await client.request({ path: "warm-up" }); // loads undici (~0.2 s on first use)
      hits = 0;
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 80); // headers and the first bytes are in by then
      let got: string;
      try {
        await client.request({ path: "x", signal: ac.signal });
        got = "ok";
      } catch (e) {
        got = `${(e as Error).name}/${(e as { code: string }).code}: ${(e as Error).message}`;
      }
      await sleep(100);
      await client.close();
      expect(got).toMatch(/^SalesforceAbortError/);
      expect(hits).toBe(1);
    },
  );
});
