import type { Client } from "undici";

/** One connection to the origin and whether a request holds it. */
export interface Connection {
  readonly client: Client;
  busy: boolean;
  /** False once it failed to connect: it is not handed out again. */
  alive: boolean;
}

/**
 * The connections to one origin, each an undici `Client` (one request at a time), handed out
 * by sfkit's own bookkeeping instead of undici's `Pool`.
 *
 * Why: a connection is given back when undici is done with it (`settle`: the response arrived
 * in full, read or not, or the request failed), not when a reader reaches the end, so a body
 * kept unread or aborted never holds it; a request waiting in line that is aborted or times out
 * leaves the line at once (a `Pool` notices only when it dispatches the request); and a loop of
 * requests keeps to one socket, where a bare `Pool` opens a second one.
 *
 * A settled connection is handed on one event-loop turn later, as undici's `Pool` does, and
 * undici's `Client` then waits for the check phase before it writes on a reused socket: so an
 * event-loop poll passes between a response and the next request on its socket, in which a
 * server's close that comes right after its response is seen (the next request then opens a
 * new socket instead of failing on the closed one). A request that finds no free connection
 * waits for a settling one rather than opening another.
 *
 * A request that finds every connection taken waits in line for the first one given back,
 * as with `Pool`. A connection that fails to connect is dropped, as `Pool` does
 * (nodejs/undici#3895), and its place goes to the first request in line.
 */
export class OriginConnections {
  private readonly connections: Connection[] = [];
  /** Connections settled and handed on at the next turn: requests in line up to this many wait for them. */
  private settling = 0;
  private readonly waiting: Array<{ resolve(connection: Connection): void; reject(error: unknown): void }> =
    [];

  constructor(
    private readonly open: () => Client,
    private readonly limit: number,
  ) {}

  /** A free connection, a new one below the limit, or the first one given back. */
  acquire(signal: AbortSignal | undefined): Connection | Promise<Connection> {
    for (const connection of this.connections) {
      if (!connection.busy) {
        connection.busy = true;
        return connection;
      }
    }
    if (this.waiting.length >= this.settling && this.connections.length < this.limit) return this.create();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Connection>((resolve, reject) => {
      const waiter = {
        resolve(connection: Connection) {
          signal?.removeEventListener("abort", onAbort);
          resolve(connection);
        },
        reject(error: unknown) {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /**
   * The request on `connection` is over for undici: the connection is handed on one turn later
   * (see the class comment), or at once if it is dead.
   */
  settle(connection: Connection): void {
    if (!connection.alive) {
      this.release(connection);
      return;
    }
    this.settling++;
    setImmediate(() => {
      this.settling--;
      this.release(connection);
    });
  }

  /** Gives a connection back: to the first request in line, or to the free set. */
  release(connection: Connection): void {
    if (!connection.alive) {
      this.serveWaiting(); // dropped after a connection error: its place is free again
      return;
    }
    const next = this.waiting.shift();
    if (next) next.resolve(connection);
    else connection.busy = false;
  }

  /** Closes every connection at once; requests still in line fail with `error`. */
  async destroy(error: Error): Promise<void> {
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    const all = this.connections.splice(0);
    await Promise.all(all.map((connection) => connection.client.destroy()));
  }

  private create(): Connection {
    const connection: Connection = { client: this.open(), busy: true, alive: true };
    connection.client.on("connectionError", () => this.drop(connection));
    this.connections.push(connection);
    return connection;
  }

  /**
   * Dropped after a connection error (a Client that failed to connect holds no socket). Its place
   * goes to the requests in line first, or a new request could take it ahead of them.
   */
  private drop(connection: Connection): void {
    connection.alive = false;
    const at = this.connections.indexOf(connection);
    if (at >= 0) this.connections.splice(at, 1);
    this.serveWaiting();
  }

  /** New connections for the requests in line that no settling connection will serve, as far as the limit allows. */
  private serveWaiting(): void {
    while (this.waiting.length > this.settling && this.connections.length < this.limit) {
      this.waiting.shift()?.resolve(this.create());
    }
  }
}
