import type { TransportResponse } from "@sfkit/core";
import { Client } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dispatchRequest } from "../src/dispatch-response.js";
import type { ResponseBody } from "../src/response-body.js";
import { startLoopback } from "./helpers/loopback.js";

const CHUNK = 16_384;
const CHUNKS = 256; // 4 MB: far beyond the body's high-water mark, so reading it pauses undici

let server: Awaited<ReturnType<typeof startLoopback>>;
let closedResponses = 0;
beforeAll(async () => {
  server = await startLoopback((req, res) => {
    res.on("close", () => {
      if (!res.writableFinished) closedResponses++;
    });
    if (req.url === "/cut") {
      res.writeHead(200, { "content-length": "100" });
      res.write("only part of it");
      setTimeout(() => res.socket?.destroy(), 20);
    } else if (req.url === "/big" || req.url === "/endless") {
      res.writeHead(200, { "content-type": "text/plain", "set-cookie": ["a=1", "b=2"] });
      let i = 0;
      const more = () => {
        while (i < CHUNKS || req.url === "/endless") {
          const ok = res.write(Buffer.alloc(CHUNK, 97 + (i++ % 26)));
          if (!ok) return void res.once("drain", more);
        }
        res.end();
      };
      more();
    } else res.end("{}");
  });
});
afterAll(() => server.close());

const send = async (client: Client, path: string, afterEnd?: () => Promise<void>) => {
  const response = await dispatchRequest(client, { origin: server.url, method: "GET", path }, undefined, {
    afterEnd,
  });
  return response as TransportResponse & { body: ResponseBody };
};
const expectLetters = (bytes: Buffer) => {
  expect(bytes.length).toBe(CHUNK * CHUNKS);
  for (let i = 0; i < CHUNKS; i++) expect(bytes[i * CHUNK + CHUNK - 1]).toBe(97 + (i % 26));
};

describe("dispatchRequest and its ResponseBody", () => {
  it("gives lower-case headers, a repeated one joined, and a body of many chunks whole and in order", async () => {
    const client = new Client(server.url);
    const response = await send(client, "/big");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/plain");
    expect(response.headers["set-cookie"]).toBe("a=1, b=2");
    expectLetters(Buffer.from(await response.body.bytes()));
    await client.close();
  });

  it("read slowly by iteration, a body far beyond its buffer arrives whole and in order (undici paused, then resumed)", async () => {
    const client = new Client(server.url);
    const response = await send(client, "/big");
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) {
      chunks.push(Buffer.from(chunk));
      if (chunks.length % 16 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expectLetters(Buffer.concat(chunks));
    await client.close();
  });

  it("fails, read whole or by iteration, on a body cut before its end", async () => {
    const client = new Client(server.url);
    await expect((await send(client, "/cut")).body.bytes()).rejects.toThrow();
    const iterating = (async () => {
      for await (const _ of (await send(client, "/cut")).body) {
        // reading
      }
    })();
    await expect(iterating).rejects.toThrow();
    await client.destroy();
  });

  it("destroyed mid-body, it closes the response at the server, and a pending read fails instead of waiting", async () => {
    const client = new Client(server.url);
    const before = closedResponses;
    const { body } = await send(client, "/endless");
    const iterator = body[Symbol.asyncIterator]();
    await iterator.next();
    body.destroy();
    await expect(iterator.next()).rejects.toThrow(/destroyed/);
    while (closedResponses === before) await new Promise((resolve) => setTimeout(resolve, 5));
    await client.destroy();
  });

  it("reports the end only after afterEnd has settled", async () => {
    const client = new Client(server.url);
    const order: string[] = [];
    const response = await send(client, "/", async () => {
      await new Promise((resolve) => setImmediate(resolve));
      order.push("afterEnd");
    });
    await response.body.bytes();
    order.push("read");
    expect(order).toEqual(["afterEnd", "read"]);
    await client.close();
  });
});
