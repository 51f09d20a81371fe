import type {
  Transport,
  TransportFactory,
  TransportRequest,
  TransportResponse,
  TransportSettings,
} from "@sfkit/core";
import { ConfigurationError, checkOptionNames } from "@sfkit/core";
import type { Agent, Dispatcher, ProxyAgent } from "undici";
import { type Connection, OriginConnections } from "./origin-connections.js";
import { dispatchRequest } from "./dispatch-response.js";

/** Options of `undiciTransport()`. */
export interface UndiciTransportOptions {
  /**
   * Most connections kept open to one origin (your instance, the login host). Requests
   * beyond it queue. `null` means no limit.
   * @default 64
   */
  connections?: number | null;
  /** Requests sent on one connection before the previous answer arrives (HTTP/1.1 pipelining). @default 1 */
  pipelining?: number;
  /** How long an idle connection is kept for reuse, in ms (the server's Keep-Alive hint may shorten it). @default 4000 */
  keepAliveTimeout?: number;
  /** Upper bound on a server's Keep-Alive hint, in ms. @default 600000 */
  keepAliveMaxTimeout?: number;
  /** Time-out for establishing a TCP/TLS connection, in ms. @default 10000 */
  connectTimeout?: number;
  /**
   * Longest silence between two chunks of a response body, in ms; 0 turns it off. The
   * client's `timeout` governs waiting for the response itself.
   * @default 300000
   */
  bodyTimeout?: number;
  /** Negotiate HTTP/2 over TLS where the server offers it. @default false */
  allowH2?: boolean;
  /**
   * Send everything through this undici dispatcher instead (a MockAgent in your tests, an
   * Agent you configured yourself). sfkit does not close a dispatcher it did not create,
   * and proxy settings are then yours to apply.
   */
  dispatcher?: Dispatcher;
}

function positive(name: string, value: number | null | undefined, allowZero = false): void {
  if (value === undefined || value === null) return;
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ConfigurationError(
      `undiciTransport({ ${name} }) must be a ${allowZero ? "non-negative" : "positive"} number, not ${value}.`,
    );
  }
}

/**
 * Connection-level headers that undici refuses (the pool manages keep-alive and framing
 * itself); dropped rather than failing the call. `Connection: close` is honoured.
 */
const HOP_BY_HOP = new Set(["keep-alive", "transfer-encoding", "upgrade", "expect", "proxy-connection"]);

function requestHeaders(headers: Record<string, string>): Record<string, string> {
  let out: Record<string, string> | undefined;
  for (const name of Object.keys(headers)) {
    if (HOP_BY_HOP.has(name.toLowerCase())) {
      out ??= { ...headers };
      delete out[name];
    }
  }
  return out ?? headers;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * undici reports a proxy that refuses the CONNECT tunnel as an abort ("Proxy response (407)
 * !== 200 when HTTP Tunneling"); say what happened instead. The proxy URL is never quoted
 * (it may hold credentials).
 */
function proxyFailure(error: unknown, target: { host: string }): Error | undefined {
  const status = /Proxy response \((\d{3})\)/.exec((error as Error | undefined)?.message ?? "")?.[1];
  if (!status) return undefined;
  if (status === "407") {
    return new ConfigurationError(
      `The proxy answered 407 Proxy Authentication Required for ${target.host}: give its user and password in the proxy URL (http://user:password@proxy.corp:3128), percent-encoding special characters, or check them.`,
      { cause: error },
    );
  }
  return Object.assign(
    new Error(`The proxy refused a tunnel to ${target.host} with status ${status}`, { cause: error }),
    {
      code: `ERR_PROXY_${status}`,
    },
  );
}

/** Where the requests to one origin go: connections of sfkit's own, or an undici dispatcher. */
type Route =
  | { connections: OriginConnections; dispatcher?: never }
  | { connections?: never; dispatcher: Dispatcher };

/** What undici needs of a request besides its origin. */
function dispatchOptions(
  target: { origin: string; path: string },
  request: TransportRequest,
): Dispatcher.DispatchOptions {
  return {
    origin: target.origin,
    path: target.path,
    method: request.method,
    headers: requestHeaders(request.headers),
    body: (request.body ?? null) as Dispatcher.DispatchOptions["body"],
  };
}

const PLAIN_URL = /^(https?:\/\/[^/?#@\s]+)(\/[\x21-\x7e]*)?$/i;

/**
 * Origin and path of a request URL. Core's URLs are already encoded, so the common case is
 * a plain split (no URL parse per request); anything unusual goes through `new URL`.
 */
function splitUrl(url: string): { origin: string; host: string; path: string } {
  const plain = PLAIN_URL.exec(url);
  if (plain && !url.includes("#")) {
    const origin = plain[1] as string;
    return { origin, host: origin.slice(origin.indexOf("//") + 2), path: plain[2] ?? "/" };
  }
  const parsed = new URL(url);
  return { origin: parsed.origin, host: parsed.host, path: `${parsed.pathname}${parsed.search}` };
}

let undici: Promise<typeof import("undici")> | undefined;
const loadUndici = () => (undici ??= import("undici"));

const OPTION_NAMES: readonly (keyof UndiciTransportOptions)[] = [
  "connections",
  "pipelining",
  "keepAliveTimeout",
  "keepAliveMaxTimeout",
  "connectTimeout",
  "bodyTimeout",
  "allowH2",
  "dispatcher",
];

/**
 * A transport on undici: its own keep-alive connections per origin (undici `Client`s, one
 * request at a time on each; undici's `Agent` with pipelining or HTTP/2), proxies per request
 * URL through undici's ProxyAgent (`NO_PROXY` applied by core's `proxyFor`), extra CA
 * certificates for TLS, and no automatic decompression or redirects (core handles both, the
 * same way for every transport).
 *
 * ```ts
 * const sf = createClient({ transport: undiciTransport({ connections: 16 }), instanceUrl, sessionId });
 * ```
 */
export function undiciTransport(options: UndiciTransportOptions = {}): TransportFactory {
  checkOptionNames(options, OPTION_NAMES, "undiciTransport()");
  positive("connections", options.connections);
  positive("pipelining", options.pipelining);
  positive("keepAliveTimeout", options.keepAliveTimeout);
  positive("keepAliveMaxTimeout", options.keepAliveMaxTimeout);
  positive("connectTimeout", options.connectTimeout);
  positive("bodyTimeout", options.bodyTimeout, true);

  return (settings: TransportSettings): Transport => {
    const tls = settings.ca ? { ca: settings.ca } : {};
    const poolOptions: Agent.Options = {
      connections: options.connections === undefined ? 64 : options.connections,
      pipelining: options.pipelining ?? 1,
      keepAliveTimeout: options.keepAliveTimeout ?? 4_000,
      keepAliveMaxTimeout: options.keepAliveMaxTimeout ?? 600_000,
      // core's per-attempt and total time-outs govern the wait for the response
      headersTimeout: 0,
      bodyTimeout: options.bodyTimeout ?? 300_000,
      allowH2: options.allowH2 ?? false,
      connect: { timeout: options.connectTimeout ?? 10_000, ...tls },
    };
    // One request per connection over HTTP/1.1 (the default): sfkit hands out the
    // connections itself (OriginConnections). Pipelining and HTTP/2 put several requests on
    // one connection, which undici's Agent schedules.
    const ownConnections = (poolOptions.pipelining ?? 1) === 1 && !poolOptions.allowH2;
    const given = options.dispatcher;
    let direct: Agent | undefined;
    const proxies = new Map<string, ProxyAgent>();
    const origins: OriginConnections[] = [];
    let connector: ReturnType<typeof import("undici").buildConnector> | undefined;
    let closed = false;

    const closedError = () =>
      new ConfigurationError(
        "This client's undici transport was closed (client.close()); create a new client to send more requests.",
      );
    // The route of each origin, chosen once: the proxy decision (NO_PROXY) depends on the
    // origin only, and a lookup is cheaper than parsing the URL again on every request.
    const byOrigin = new Map<string, Route>();

    // undici takes about a quarter of a second to import: load it with the first request,
    // so that importing the package (and a CLI's start) stays cheap.
    const chooseRoute = async (origin: string): Promise<Route> => {
      const { Agent, Client, ProxyAgent, buildConnector } = await loadUndici();
      if (closed) throw closedError();
      const existing = byOrigin.get(origin);
      if (existing) return existing; // another request chose it while undici loaded
      let route: Route;
      const proxy = settings.proxyFor(`${origin}/`);
      if (!proxy && ownConnections) {
        // one connector for every origin, as Agent does: TLS sessions are resumed across connections
        connector ??= buildConnector({ ...tls, timeout: options.connectTimeout ?? 10_000 });
        const { connections: _limit, connect: _connect, ...clientOptions } = poolOptions;
        const open = () => new Client(origin, { ...clientOptions, connect: connector });
        const connections = new OriginConnections(open, poolOptions.connections ?? Number.POSITIVE_INFINITY);
        origins.push(connections);
        route = { connections };
      } else if (!proxy) {
        direct ??= new Agent(poolOptions);
        route = { dispatcher: direct };
      } else {
        let agent = proxies.get(proxy);
        if (!agent) {
          agent = new ProxyAgent({ ...poolOptions, uri: proxy, requestTls: tls, proxyTls: tls });
          proxies.set(proxy, agent);
        }
        route = { dispatcher: agent };
      }
      byOrigin.set(origin, route);
      return route;
    };

    /**
     * Through a connection of sfkit's own, given back once undici is done with it: the response
     * has arrived in full (read or not) or the request failed.
     */
    const sendOwn = (
      connections: OriginConnections,
      target: { origin: string; path: string },
      request: TransportRequest,
    ): Promise<TransportResponse> => {
      const sendOn = (connection: Connection) =>
        dispatchRequest(connection.client, dispatchOptions(target, request), request.signal, {
          onSettled: () => connections.settle(connection),
        });
      // Not async: a free connection is used at once, without a promise turn of its own.
      const acquired = connections.acquire(request.signal);
      return acquired instanceof Promise ? acquired.then(sendOn) : sendOn(acquired);
    };

    return {
      name: "undici",
      async send(request: TransportRequest): Promise<TransportResponse> {
        if (closed) throw closedError();
        const target = splitUrl(request.url);
        const route: Route = given
          ? { dispatcher: given }
          : (byOrigin.get(target.origin) ?? (await chooseRoute(target.origin)));
        try {
          if (route.connections) return await sendOwn(route.connections, target, request);
          // undici's Pool frees the connection one event-loop turn after the body ends: the
          // caller's next request waits that turn and reuses it, instead of opening another
          return await dispatchRequest(route.dispatcher, dispatchOptions(target, request), request.signal, {
            afterEnd: nextTurn,
          });
        } catch (error) {
          throw proxyFailure(error, target) ?? error;
        }
      },
      async close() {
        if (closed) return;
        closed = true;
        const owned: Dispatcher[] = [...proxies.values()];
        if (direct) owned.push(direct);
        proxies.clear();
        byOrigin.clear();
        direct = undefined;
        await Promise.all([
          ...owned.map((dispatcher) => dispatcher.destroy()),
          ...origins.splice(0).map((connections) => connections.destroy(closedError())),
        ]);
      },
    };
  };
}
