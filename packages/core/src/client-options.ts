import type { AuthStrategy } from "./auth.js";
import type { RetryOptions } from "./retry.js";
import type { FetchLike } from "./transport/fetch.js";
import type { ProxyOption } from "./transport/proxy.js";
import type { Logger, TransportFactory } from "./types.js";

export interface ClientOptions {
  /** How to log in: a strategy from @sfkit/auth-soap or @sfkit/auth-oauth, or your own. */
  auth?: AuthStrategy;
  /** With `instanceUrl` or `instance`: use this session id / access token as it is. */
  sessionId?: string;
  /** The org's URL ("https://acme.my.salesforce.com"; scheme, port and path prefix kept). */
  instanceUrl?: string;
  /** The org's host ("acme.my.salesforce.com"); https is assumed. */
  instance?: string;
  /** "64.0", "v64.0" or 64. @default "62.0" (DEFAULT_API_VERSION) */
  apiVersion?: string | number;
  /** Sent as `Sforce-Call-Options: client=<clientId>` on every call. */
  clientId?: string;
  /** Use this fetch instead of the default transport. */
  fetch?: FetchLike;
  /** Replace the transport (e.g. `undiciTransport()` from @sfkit/transport-undici). */
  transport?: TransportFactory;
  /** A proxy URL, or `{ url, noProxy, fromEnv }`. */
  proxy?: ProxyOption;
  /** Extra trusted CA certificates (PEM). TLS verification itself is never turned off. */
  ca?: string | string[];
  /** Per-attempt time-out in ms. @default 120000 */
  timeout?: number;
  /** Time-out in ms for a request including its retries. @default 300000 */
  totalTimeout?: number;
  /** Retries of idempotent requests, or false for none. */
  retry?: RetryOptions | false;
  /** Where debug and warning lines go; silent by default. Lines never hold secrets. */
  logger?: Partial<Logger>;
  /** Headers added to every request. */
  headers?: Record<string, string>;
}
