import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { type Connection, OriginConnections } from "../src/origin-connections.js";

/** OriginConnections over stand-in clients: only their connectionError event is used. */
const connectionsFor = (limit: number) =>
  new OriginConnections(() => new EventEmitter() as unknown as Connection["client"], limit);
const failToConnect = (connection: Connection) =>
  (connection.client as unknown as EventEmitter).emit("connectionError");

describe("OriginConnections", () => {
  it("a connection dropped after a connection error goes to the request in line, not to a newcomer", async () => {
    const connections = connectionsFor(1);
    const first = connections.acquire(undefined) as Connection;
    const order: string[] = [];
    const waiting = Promise.resolve(connections.acquire(undefined)).then((c) => {
      order.push("waiting");
      return c;
    });
    failToConnect(first); // its place is free: the request in line gets a new connection at once
    const newcomer = connections.acquire(undefined);
    expect(newcomer).toBeInstanceOf(Promise); // the newcomer waits behind it
    void Promise.resolve(newcomer).then(() => order.push("newcomer"));
    const second = await waiting;
    expect(second).not.toBe(first);
    connections.release(first); // the failed request gives back its dead connection: nothing more opens
    connections.release(second);
    await newcomer;
    expect(order).toEqual(["waiting", "newcomer"]);
  });

  it("a settled connection goes to the next request one turn later, and a request waits for it rather than opening another", async () => {
    const connections = connectionsFor(4);
    const first = connections.acquire(undefined) as Connection;
    connections.settle(first);
    const next = connections.acquire(undefined);
    expect(next).toBeInstanceOf(Promise); // not a new connection: it waits for the settling one
    const other = connections.acquire(undefined); // one more than the settling ones serve: a new one
    expect(other).not.toBeInstanceOf(Promise);
    expect(other).not.toBe(first);
    await expect(next).resolves.toBe(first);
  });

  it("under a random schedule of acquires, releases, settles, turns, aborts and connection errors: never two holders, never a request left waiting beside a free place", async () => {
    for (let run = 0; run < 300; run++) {
      let seed = run + 1;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      const limit = 1 + Math.floor(random() * 3);
      const connections = connectionsFor(limit);
      const holders = new Map<Connection, number>();
      const held: Connection[] = [];
      let cooling = 0; // settled, handed on at the next turn
      const pending = new Map<number, AbortController>();
      let id = 0;
      const take = (connection: Connection, who: number) => {
        expect(holders.has(connection), `run ${run}: a connection handed out twice`).toBe(false);
        holders.set(connection, who);
        held.push(connection);
      };
      const pick = <T>(list: T[]) => list.splice(Math.floor(random() * list.length), 1)[0] as T;
      for (let step = 0; step < 200; step++) {
        const roll = random();
        if (roll < 0.4) {
          const who = ++id;
          const controller = new AbortController();
          const got = connections.acquire(controller.signal);
          if (got instanceof Promise) {
            pending.set(who, controller);
            got.then(
              (connection) => {
                pending.delete(who);
                take(connection, who);
              },
              () => pending.delete(who),
            );
          } else take(got, who);
        } else if (roll < 0.55 && held.length > 0) {
          const connection = pick(held);
          holders.delete(connection);
          connections.release(connection);
        } else if (roll < 0.7 && held.length > 0) {
          const connection = pick(held);
          holders.delete(connection);
          connections.settle(connection);
          cooling++;
        } else if (roll < 0.8 && pending.size > 0) {
          pick([...pending.values()]).abort();
        } else if (roll < 0.9 && held.length > 0) {
          // a held connection fails to connect: connectionError, then its request fails and gives it back
          const connection = pick(held);
          failToConnect(connection);
          holders.delete(connection);
          connections.release(connection);
        }
        if (random() < 0.15) {
          await new Promise((resolve) => setImmediate(resolve)); // the settled ones are handed on
          cooling = 0;
        }
        await Promise.resolve();
        await Promise.resolve();
        if (pending.size > cooling) {
          const live = [...holders.keys()].filter((connection) => connection.alive).length;
          expect(
            live + cooling,
            `run ${run} step ${step}: a request waits beside a free place (limit ${limit})`,
          ).toBe(limit);
        }
      }
    }
  });
});
