// A server that drops the keep-alive socket right after each response, without saying so: no
// request may fail or need a retry (undici's Agent, the control, waits a turn before reuse).
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendJson, startLoopback } from "./helpers/loopback.js";
import { clientFor, type Mode } from "./helpers/modes.js";

let server: Awaited<ReturnType<typeof startLoopback>>;
beforeAll(async () => {
  server = await startLoopback((req, res) => sendJson(res, 200, { url: req.url }));
});
afterAll(() => server.close());

const clientOf = (mode: Mode, warns: string[]) =>
  clientFor(server.url, mode, { connections: 1 }, { logger: { warn: (m: string) => warns.push(m) } });

describe.each<Mode>(["own", "agent"])(
  "server drops the keep-alive socket just after its response (%s)",
  (mode) => {
    it("GET loop: no request needs a retry", async () => {
      server.setHandler((req, res) => {
        sendJson(res, 200, { url: req.url });
        const socket = req.socket as Socket;
        res.on("finish", () => setImmediate(() => socket.destroy()));
      });
      const warns: string[] = [];
      const client = clientOf(mode, warns);
      const started = Date.now();
      for (let i = 0; i < 20; i++) await client.request({ path: `k/${i}` });
      const took = Date.now() - started;
      expect({ retries: warns.length, first: warns[0], slow: took > 1000 }).toEqual({
        retries: 0,
        first: undefined,
        slow: false,
      });
      await client.close();
    });

    it("a POST sent right after a GET whose socket the server drops: it must not fail", async () => {
      server.setHandler((req, res) => {
        sendJson(res, 200, { url: req.url });
        const socket = req.socket as Socket;
        res.on("finish", () => setImmediate(() => socket.destroy()));
      });
      const warns: string[] = [];
      const client = clientOf(mode, warns);
      const failures: string[] = [];
      for (let i = 0; i < 20; i++) {
        await client.request({ path: `g/${i}` });
        await client.request({ method: "POST", path: `p/${i}`, body: { a: i } }).catch((e: Error) => {
          failures.push(`${e.name}: ${e.message}`);
        });
      }
      expect({ failures: failures.length, first: failures[0] }).toEqual({ failures: 0, first: undefined });
      await client.close();
    });
  },
);
