// Core reuses the abort controllers of finished attempts (a fresh AbortSignal's first
// listener is costly in Node 20). Reuse must never let one request's abort reach another:
// a controller that fired is never handed out again, and requests in flight never share one.
import { afterEach, describe, expect, it } from "vitest";
import {
  SalesforceAbortError,
  SalesforceTimeoutError,
  createClient,
  nodeFetchTransport,
} from "../src/index.js";
import type { TransportFactory } from "../src/index.js";
import { startTestServer } from "./helpers/test-server.js";

type Server = Awaited<ReturnType<typeof startTestServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** node-fetch, recording the signal core gives each request and whether it had fired at that time. */
function recording(): { factory: TransportFactory; seen: { signal: AbortSignal; firedAtSend: boolean }[] } {
  const seen: { signal: AbortSignal; firedAtSend: boolean }[] = [];
  const factory: TransportFactory = (settings) => {
    const inner = nodeFetchTransport(settings);
    return {
      name: "recording",
      send(request) {
        seen.push({ signal: request.signal, firedAtSend: request.signal.aborted });
        return inner.send(request);
      },
      close: () => inner.close?.() ?? Promise.resolve(),
    };
  };
  return { factory, seen };
}

const json = (res: import("node:http").ServerResponse, body: unknown) => {
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(body));
};

describe("attempt abort controllers", () => {
  it("sequential requests reuse one controller that never fired", async () => {
    server = await startTestServer((_req, res) => json(res, { ok: true }));
    const { factory, seen } = recording();
    const client = createClient({ instanceUrl: server.url, sessionId: "00D!x", transport: factory });
    for (let i = 0; i < 5; i++) await client.request({ path: "limits" });
    await client.close();
    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((s) => s.signal)).size).toBe(1);
    expect(seen.every((s) => !s.firedAtSend && !s.signal.aborted)).toBe(true);
  });

  it("requests in flight at the same time never share a controller", async () => {
    const waiting: (() => void)[] = [];
    server = await startTestServer((req, res) =>
      req.url.includes("first")
        ? json(res, { ok: true })
        : new Promise<void>((resolve) => {
            waiting.push(() => {
              json(res, { ok: true });
              resolve();
            });
            if (waiting.length === 8) for (const release of waiting.splice(0)) release();
          }),
    );
    const { factory, seen } = recording();
    const client = createClient({ instanceUrl: server.url, sessionId: "00D!x", transport: factory });
    await client.request({ path: "first" }); // leaves one spare controller behind
    await Promise.all(Array.from({ length: 8 }, () => client.request({ path: "limits" })));
    await client.close();
    const concurrent = seen.slice(1).map((s) => s.signal);
    expect(new Set(concurrent).size).toBe(8);
  });

  it("a controller that fired for a time-out is never given to a later request", async () => {
    let calls = 0;
    server = await startTestServer(async (_req, res) => {
      calls++;
      if (calls === 1) await new Promise((resolve) => setTimeout(resolve, 400));
      json(res, { ok: true });
    });
    const { factory, seen } = recording();
    const client = createClient({
      instanceUrl: server.url,
      sessionId: "00D!x",
      transport: factory,
      retry: { limit: 0 },
    });
    await expect(client.request({ path: "limits", timeout: 50 })).rejects.toBeInstanceOf(
      SalesforceTimeoutError,
    );
    const timedOut = seen[0]?.signal;
    expect(timedOut?.aborted).toBe(true);
    for (let i = 0; i < 3; i++) await client.request({ path: "limits" });
    await client.close();
    expect(seen.slice(1).every((s) => s.signal !== timedOut && !s.firedAtSend)).toBe(true);
  });

  it("a caller's abort fires only its own request's controller, which is not reused", async () => {
    server = await startTestServer(async (req, res) => {
      if (req.url.includes("slow")) await new Promise((resolve) => setTimeout(resolve, 300));
      json(res, { ok: true });
    });
    const { factory, seen } = recording();
    const client = createClient({ instanceUrl: server.url, sessionId: "00D!x", transport: factory });
    const caller = new AbortController();
    const slow = client.request({ path: "slow", signal: caller.signal });
    const fast = client.request({ path: "limits" });
    setTimeout(() => caller.abort(), 30);
    await expect(slow).rejects.toBeInstanceOf(SalesforceAbortError);
    await expect(fast).resolves.toMatchObject({ status: 200 });
    const aborted = seen[0]?.signal;
    expect(aborted?.aborted).toBe(true);
    expect(seen[1]?.signal.aborted).toBe(false);
    for (let i = 0; i < 3; i++) await client.request({ path: "limits" });
    await client.close();
    expect(seen.slice(2).every((s) => s.signal !== aborted && !s.firedAtSend)).toBe(true);
  });
});
