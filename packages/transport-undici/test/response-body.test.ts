import { Client } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResponseBody } from "../src/response-body.js";
import { startLoopback } from "./helpers/loopback.js";

let server: Awaited<ReturnType<typeof startLoopback>>;
let client: Client;
beforeAll(async () => {
  server = await startLoopback((req, res) => {
    if (req.url === "/cut") {
      res.writeHead(200, { "content-length": "100" });
      res.write("only part of it");
      setTimeout(() => res.socket?.destroy(), 20);
    } else if (req.url === "/big") {
      res.writeHead(200, { "content-type": "text/plain" });
      for (let i = 0; i < 64; i++) res.write(Buffer.alloc(16_384, 97 + (i % 26)));
      res.end();
    } else res.end("{}");
  });
  client = new Client(server.url);
});
afterAll(async () => {
  await client.destroy();
  await server.close();
});

const fetchBody = async (path: string) => (await client.request({ method: "GET", path })).body;

describe("ResponseBody.bytes()", () => {
  it("reads a body of many chunks whole, in order", async () => {
    const bytes = Buffer.from(await new ResponseBody(await fetchBody("/big")).bytes());
    expect(bytes.length).toBe(64 * 16_384);
    for (let i = 0; i < 64; i++) expect(bytes[i * 16_384]).toBe(97 + (i % 26));
  });

  it("fails, rather than waiting for ever, on a body destroyed before it is read", async () => {
    const body = await fetchBody("/");
    body.on("error", () => undefined); // undici reports the destroy as an error: heard here
    body.destroy();
    await new Promise((resolve) => setImmediate(resolve)); // its 'error' and 'close' are over
    await expect(new ResponseBody(body).bytes()).rejects.toThrow();
  });

  it("fails on a body cut before its end", async () => {
    await expect(new ResponseBody(await fetchBody("/cut")).bytes()).rejects.toThrow();
  });

  it("reports the end only after onEnd has settled", async () => {
    const order: string[] = [];
    const body = new ResponseBody(await fetchBody("/"), async () => {
      await new Promise((resolve) => setImmediate(resolve));
      order.push("onEnd");
    });
    await body.bytes();
    order.push("read");
    expect(order).toEqual(["onEnd", "read"]);
  });
});
