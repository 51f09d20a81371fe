import { createClient } from "@sfkit/core";
import type { Readable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { undiciTransport } from "../src/index.js";
import { sendJson, startLoopback } from "./helpers/loopback.js";

let server: Awaited<ReturnType<typeof startLoopback>>;
beforeAll(async () => {
  server = await startLoopback((_req, res) => sendJson(res, 200, {}));
});
afterAll(() => server.close());

it("a streamed response the caller stops reading early gives its connection back", async () => {
  server.setHandler(async (req, res) => {
    if (req.url?.includes("big")) {
      res.writeHead(200, { "content-type": "text/csv" });
      for (let i = 0; i < 2000; i++) {
        if (!res.write(`${"x".repeat(1000)}\n`)) await new Promise((r) => res.once("drain", r));
        if (res.destroyed) return;
      }
      res.end();
    } else sendJson(res, 200, { ok: true });
  });
  const client = createClient({
    transport: undiciTransport({ connections: 1 }),
    instanceUrl: server.url,
    sessionId: "s",
    timeout: 5000,
  });
  const { data } = await client.request<Readable>({ path: "big", responseType: "stream" });
  for await (const _chunk of data) break;
  await expect(client.request({ path: "small" })).resolves.toMatchObject({ data: { ok: true } });
  await client.close();
});
