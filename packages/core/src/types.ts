import type { Readable } from "node:stream";

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** A body sfkit can send: objects become JSON; strings, bytes and streams go as given. */
export type RequestBody =
  | string
  | Uint8Array
  | Readable
  | AsyncIterable<Uint8Array>
  // `object` rather than Record<string, unknown>, so that values typed by an interface are accepted
  | object
  | unknown[]
  | URLSearchParams;

/** How the response body is handed back. "auto" follows the Content-Type. */
export type ResponseType = "auto" | "json" | "text" | "buffer" | "stream";

/** Which credential header the request carries. */
export type AuthMode = "bearer" | "sfdc-session" | "none";

export interface RequestOptions {
  method?: HttpMethod | Lowercase<HttpMethod>;
  /**
   * A path under `/services/data/vNN.0/` ("sobjects/Account"), a host-relative path
   * ("/services/apexrest/x", a `nextRecordsUrl`), or a full URL.
   */
  path: string;
  /** Query parameters, each encoded exactly once. Arrays repeat the parameter. */
  query?: Record<string, string | number | boolean | undefined | null | Array<string | number | boolean>>;
  body?: RequestBody;
  headers?: Record<string, string | undefined>;
  responseType?: ResponseType;
  /** Which credentials to send; "bearer" unless told. */
  auth?: AuthMode;
  signal?: AbortSignal;
  /** Per-attempt time-out in ms (client default applies when absent). */
  timeout?: number;
  /**
   * Whether this request may be repeated safely. GET, HEAD, PUT, DELETE, OPTIONS are by
   * default; POST and PATCH only when the caller says so (an upsert by external id is).
   */
  idempotent?: boolean;
  /** Free-form data for hooks. */
  context?: Record<string, unknown>;
}

/** The request after core has resolved URL, headers and body; what hooks and transports see. */
export interface PreparedRequest {
  method: HttpMethod;
  /** The path or URL as the caller gave it; hooks may change it. */
  path: string;
  query: RequestOptions["query"];
  /** The URL of the latest attempt (set by core; rebuilt after a refresh moves the instance). */
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array | Readable | AsyncIterable<Uint8Array> | undefined;
  responseType: ResponseType;
  auth: AuthMode;
  idempotent: boolean;
  signal: AbortSignal | undefined;
  timeout: number;
  context: Record<string, unknown>;
}

export interface SalesforceResponse<T = unknown> {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  data: T;
  url: string;
}

/** What a transport returns: the body is read at most once, as a byte stream. */
export interface TransportResponse {
  status: number;
  headers: Record<string, string>;
  /**
   * The body as an async iterable of chunks. A transport may add `bytes()`, the whole body at
   * once, where it reads faster that way than by iteration (`@sfkit/transport-undici`'s body
   * does: a Node stream's async iterator costs more per response than the rest of a small
   * request); core then uses it for bodies it reads in full.
   */
  body: (AsyncIterable<Uint8Array> & { bytes?(): Promise<Uint8Array> }) | null;
}

export interface TransportRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array | Readable | AsyncIterable<Uint8Array> | undefined;
  signal: AbortSignal;
}

/** A way of sending HTTP requests. Core ships node-fetch; @sfkit/transport-undici is another. */
export interface Transport {
  readonly name: string;
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Closes pooled connections. */
  close?(): Promise<void>;
}

export interface TransportSettings {
  /** Proxy URL for this client, if any (already filtered by NO_PROXY per request through `proxyFor`). */
  proxyFor: (url: string) => string | undefined;
  /** Extra CA certificates to trust (PEM), e.g. the emulator's self-signed one. */
  ca?: string | string[];
}

export type TransportFactory = (settings: TransportSettings) => Transport;

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** API usage from the last `Sforce-Limit-Info` header. */
export interface ApiUsage {
  used: number;
  limit: number;
  perApp?: { used: number; limit: number; appName?: string };
}
