import type { HttpMethod, RequestOptions, SalesforceResponse } from "@sfkit/core";
import type { Readable } from "node:stream";

/** The HTTP methods an Apex REST class can answer (`@HttpGet`, `@HttpPost`, ...). */
export type ApexMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

/**
 * What can be sent to an Apex REST resource. Objects, arrays, numbers and booleans become
 * JSON; strings, bytes and streams are sent exactly as given; `undefined` and `null` mean
 * no body at all.
 */
export type ApexBody =
  | string
  | Uint8Array
  | ArrayBuffer
  | Readable
  | AsyncIterable<Uint8Array>
  | URLSearchParams
  // `object`, not Record<string, unknown>: values typed by an interface must be accepted too
  | object
  | readonly unknown[]
  | number
  | boolean
  | null
  | undefined;

/**
 * How the response body comes back. `"auto"` (the default): JSON when it parses (also bare
 * values such as `123`, `"text"`, `true`), text when it does not or when the Content-Type is
 * textual, a Buffer for binary content types, `null` for an empty body. `"json"` insists on
 * JSON (a typed error otherwise); `"text"`, `"buffer"` and `"stream"` hand the body back as
 * that.
 */
export type ApexResponseType = "auto" | "json" | "text" | "buffer" | "stream";

/** An Apex path: `"Account/001..."` (used as written) or segments `["Account", id]` (each encoded). */
export type ApexPath = string | readonly string[];

/** Options every Apex call takes. */
export interface ApexCallOptions {
  /** Query parameters, each value encoded exactly once; arrays repeat the parameter. */
  params?: RequestOptions["query"];
  /** Extra headers; a `Content-Type` here decides how a string or byte body is labelled. */
  headers?: Record<string, string | undefined>;
  responseType?: ApexResponseType;
  signal?: AbortSignal;
  /** Per-attempt time-out in ms (the client's default otherwise). */
  timeout?: number;
  /**
   * Whether the call may be repeated after a network error or a 502/503/504. Defaults to
   * HTTP's rule (GET, HEAD, PUT, DELETE yes; POST, PATCH no). Apex code is yours: say
   * `false` for a PUT or DELETE that is not safe to run twice.
   */
  idempotent?: boolean;
}

/** `sf.apexecute(action, options)`: simple-salesforce's call, with `data` as the body. */
export interface ApexExecuteOptions extends ApexCallOptions {
  /** @default "GET" */
  method?: ApexMethod | Lowercase<ApexMethod>;
  /** The request body (see ApexBody); absent or null sends no body. */
  data?: ApexBody;
}

/** Options of `sf.apex.request()`, which returns the whole response. */
export interface ApexRequestOptions extends ApexExecuteOptions {
  path: ApexPath;
}

/** Options of the `apex()` plugin factory. */
export interface ApexOptions {
  /**
   * A managed package's namespace: every path is then called as
   * `/services/apexrest/<namespace>/<path>`.
   */
  namespace?: string;
}

/** `sf.apex`: one method per HTTP verb. Each resolves to the decoded body. */
export interface ApexApi {
  get<T = unknown>(path: ApexPath, options?: ApexCallOptions): Promise<T>;
  post<T = unknown>(path: ApexPath, body?: ApexBody, options?: ApexCallOptions): Promise<T>;
  put<T = unknown>(path: ApexPath, body?: ApexBody, options?: ApexCallOptions): Promise<T>;
  patch<T = unknown>(path: ApexPath, body?: ApexBody, options?: ApexCallOptions): Promise<T>;
  delete<T = unknown>(path: ApexPath, options?: ApexCallOptions): Promise<T>;
  /** Any call, resolving to `{ status, headers, data, url }` (for status codes and response headers). */
  request<T = unknown>(options: ApexRequestOptions): Promise<SalesforceResponse<T>>;
  /** The URL a path is called at (no request is made). */
  url(path: ApexPath, params?: RequestOptions["query"]): Promise<string>;
}

/** The keys the `apex()` plugin adds to a client. */
export interface ApexKeys {
  /** Calls `/services/apexrest/<action>`; resolves to the decoded body (see ApexResponseType). */
  apexecute<T = unknown>(action: ApexPath, options?: ApexExecuteOptions): Promise<T>;
  /** simple-salesforce's positional form: `sf.apexecute("User/Activity", "POST", data)`. */
  apexecute<T = unknown>(
    action: ApexPath,
    method: ApexMethod | Lowercase<ApexMethod>,
    data?: ApexBody,
    options?: ApexCallOptions,
  ): Promise<T>;
  apex: ApexApi;
}

export type { HttpMethod };
