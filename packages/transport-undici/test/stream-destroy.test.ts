import type { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendJson, startLoopback } from "./helpers/loopback.js";
import { clientFor, collectFaults, type Mode } from "./helpers/modes.js";

let server: Awaited<ReturnType<typeof startLoopback>>;
beforeAll(async () => {
  server = await startLoopback((req, res) => sendJson(res, 200, { url: req.url }));
});
afterAll(() => server.close());
const { faults } = collectFaults();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const clientOf = (mode: Mode) => clientFor(server.url, mode, { connections: 1 });

describe.each<Mode>(["own", "agent"])("destroying a streamed undici response (%s)", (mode) => {
  it("destroy() of a small response that arrived in full, before reading it: no uncaught error", async () => {
    server.setHandler((req, res) => sendJson(res, 200, { url: req.url }));
    const client = clientOf(mode);
    for (let i = 0; i < 5; i++) {
      const { data } = await client.request<Readable>({ path: `x/${i}`, responseType: "stream" });
      await sleep(5); // the response is complete by now
      data.destroy();
    }
    await sleep(50);
    expect(faults.map(String)).toEqual([]);
    await expect(client.request({ path: "after" })).resolves.toMatchObject({ status: 200 });
    await client.close();
  });

  it("destroy() right after receiving it (no wait)", async () => {
    server.setHandler((req, res) => sendJson(res, 200, { url: req.url }));
    const client = clientOf(mode);
    for (let i = 0; i < 5; i++) {
      const { data } = await client.request<Readable>({ path: `x/${i}`, responseType: "stream" });
      data.destroy();
    }
    await sleep(50);
    expect(faults.map(String)).toEqual([]);
    await client.close();
  });

  it("destroy() after the first chunk of a response that arrived in full", async () => {
    server.setHandler((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("z".repeat(200_000));
    });
    const client = clientOf(mode);
    for (let i = 0; i < 5; i++) {
      const { data } = await client.request<Readable>({ path: `x/${i}`, responseType: "stream" });
      await new Promise((r) => data.once("data", r));
      data.pause();
      await sleep(5);
      data.destroy();
    }
    await sleep(50);
    expect(faults.map(String)).toEqual([]);
    await client.close();
  });
});
