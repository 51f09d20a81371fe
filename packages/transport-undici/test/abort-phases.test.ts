// the caller's abort at every phase, on own connections and on the Agent path.
import type { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sendJson, startLoopback } from "./helpers/loopback.js";
import { clientFor, collectFaults, type Mode } from "./helpers/modes.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let server: Awaited<ReturnType<typeof startLoopback>>;
const seen: string[] = [];
beforeAll(async () => {
  server = await startLoopback(async (req, res) => {
    seen.push(req.url ?? "");
    const url = new URL(req.url ?? "/", "http://x");
    const hold = Number(url.searchParams.get("hold") ?? 0);
    if (url.pathname.endsWith("/slowheaders")) {
      await sleep(hold);
      if (!res.destroyed) sendJson(res, 200, { url: req.url });
    } else if (url.pathname.endsWith("/partial")) {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first-part\n");
      await sleep(hold);
      if (!res.destroyed) res.end("second-part\n");
    } else if (url.pathname.endsWith("/small")) {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("whole small body\n");
    } else sendJson(res, 200, { url: req.url });
  });
});
afterAll(() => server.close());

const { faults } = collectFaults();
beforeEach(() => {
  seen.length = 0;
});
afterEach(async () => {
  await sleep(30); // an 'error' nobody hears comes a little later
  expect(faults.map(String)).toEqual([]);
});

const clientOf = (mode: Mode) => clientFor(server.url, mode, { connections: 1 }, { retry: { limit: 0 } });
const settle = async (p: Promise<unknown>) => {
  const started = Date.now();
  try {
    await p;
    return { outcome: "ok", ms: Date.now() - started };
  } catch (e) {
    const err = e as { name: string; code: unknown };
    return { outcome: `${err.name}/${String(err.code)}`, ms: Date.now() - started };
  }
};
const readAll = async (data: Readable) => {
  let text = "";
  try {
    for await (const c of data as AsyncIterable<Buffer>) text += c.toString();
    return { text };
  } catch (e) {
    const err = e as { name: string; code: unknown };
    return { text, error: `${err.name}/${String(err.code)}` };
  }
};

describe.each<Mode>(["own", "agent"])("%s", (mode) => {
  it("aborted before the call: SalesforceAbortError, nothing sent", async () => {
    const client = clientOf(mode);
    const r = await settle(client.request({ path: "pre", signal: AbortSignal.abort() }));
    expect(r.outcome).toBe("SalesforceAbortError/ERR_ABORTED");
    expect(seen).toEqual([]);
    await client.close();
  });

  it("aborted while queued behind a slow request: rejects at once, never sent", async () => {
    const client = clientOf(mode);
    const first = client.request({ path: "slowheaders?hold=1500" });
    await sleep(50);
    const ac = new AbortController();
    const queued = settle(client.request({ path: "queued", signal: ac.signal }));
    await sleep(50);
    ac.abort();
    const r = await queued;
    await first;
    await sleep(50);
    expect(seen.some((u) => u.includes("queued"))).toBe(false);
    expect(r.outcome).toBe("SalesforceAbortError/ERR_ABORTED");
    expect(r.ms).toBeLessThan(200);
    await client.close();
  });

  it("per-attempt time-out while queued behind a slow request: fires on time", async () => {
    const client = clientOf(mode);
    const first = client.request({ path: "slowheaders?hold=1500" });
    await sleep(50);
    const r = await settle(client.request({ path: "queuedt", timeout: 200 }));
    await first;
    expect(r.outcome).toBe("SalesforceTimeoutError/ERR_TIMEOUT");
    expect(r.ms).toBeLessThan(500);
    await client.close();
  });

  it("aborted before the headers: SalesforceAbortError, the next request goes through", async () => {
    const client = clientOf(mode);
    const ac = new AbortController();
    const p = settle(client.request({ path: "slowheaders?hold=500", signal: ac.signal }));
    await sleep(50);
    ac.abort();
    const r = await p;
    expect(r.outcome).toBe("SalesforceAbortError/ERR_ABORTED");
    expect(r.ms).toBeLessThan(100);
    await expect(client.request({ path: "next", timeout: 2000 })).resolves.toMatchObject({ status: 200 });
    await client.close();
  });

  it("aborted after the headers, before reading the stream: reading fails as an abort; next request fine", async () => {
    const client = clientOf(mode);
    const ac = new AbortController();
    const { data } = await client.request<Readable>({
      path: "partial?hold=300",
      responseType: "stream",
      signal: ac.signal,
    });
    ac.abort();
    const got = await readAll(data);
    await expect(client.request({ path: "next", timeout: 2000 })).resolves.toMatchObject({ status: 200 });
    await client.close();
    expect(got.error).toBe("SalesforceAbortError/ERR_ABORTED");
  });

  it("aborted after the body has arrived in full, before reading it", async () => {
    const client = clientOf(mode);
    const ac = new AbortController();
    const { data } = await client.request<Readable>({
      path: "small",
      responseType: "stream",
      signal: ac.signal,
    });
    await sleep(50);
    ac.abort();
    const got = await readAll(data);
    expect(got).toEqual({ text: "whole small body\n" }); // it had arrived: still readable
    await expect(client.request({ path: "next", timeout: 2000 })).resolves.toMatchObject({ status: 200 });
    await client.close();
  });

  it("aborts at random moments (0-6 ms) around a short exchange, 300 times: no hang, only abort errors", async () => {
    const client = clientOf(mode);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const ac = new AbortController();
      const stream = i % 2 === 0;
      const p = (async () => {
        const r = await client.request<Readable>({
          path: i % 3 === 0 ? "partial?hold=2" : "small",
          responseType: stream ? "stream" : "text",
          signal: ac.signal,
        });
        if (stream) {
          const got = await readAll(r.data);
          if (got.error) throw Object.assign(new Error(got.error), { name: `stream:${got.error}` });
        }
      })();
      setTimeout(() => ac.abort(), i % 7);
      const r = await Promise.race([settle(p), sleep(3000).then(() => ({ outcome: "HANG", ms: 3000 }))]);
      outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
    }
    expect(outcomes.has("HANG")).toBe(false);
    await expect(client.request({ path: "final", timeout: 2000 })).resolves.toMatchObject({ status: 200 });
    await client.close();
  });
});
