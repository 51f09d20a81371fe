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
 * Why: `Pool` counts a connection busy until one event-loop turn after its response ended.
 * A caller's next request then either opens a second connection (bare `Pool` in a loop) or,
 * as sfkit did, waits that turn. Here a connection is free as soon as its response has been
 * read; undici's `Client` itself still checks a reused socket before writing on it. One turn
 * less per request, and still one socket for a sequential loop (bench/FINDINGS.md, item 16).
 *
 * A request that finds every connection taken waits in line for the first one given back,
 * as with `Pool`. A connection that fails to connect is dropped, as `Pool` does
 * (nodejs/undici#3895), and the next request opens a new one.
 */
export class OriginConnections {
  private readonly connections: Connection[] = [];
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
    if (this.connections.length < this.limit) return this.create();
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

  /** New connections for the first requests in line, as far as the limit allows. */
  private serveWaiting(): void {
    while (this.waiting.length > 0 && this.connections.length < this.limit) {
      this.waiting.shift()?.resolve(this.create());
    }
  }
}
