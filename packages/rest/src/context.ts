import { type Client, ConfigurationError, checkOptionNames, type RequestOptions } from "@sfkit/core";
import type { CallOptions } from "./types.js";

/** Options of the `rest()` plugin. */
export interface RestOptions {
  /**
   * Cache describe results (global describe, sObject describes and layouts) for the life of
   * the client: `true`, or `{ ttl }` in ms. A call with `{ refresh: true }` bypasses it.
   * Default: no cache.
   */
  describeCache?: boolean | { ttl?: number };
  /** Default `Sforce-Query-Options: batchSize` for queries (200–2000; Salesforce's default 2000). */
  queryBatchSize?: number;
}

/** What the pieces of the plugin share. */
export interface RestContext {
  readonly client: Client;
  readonly options: RestOptions;
  cached<T>(key: string, refresh: boolean | undefined, load: () => Promise<T>): Promise<T>;
  call<T = unknown>(request: RequestOptions, options?: CallOptions): Promise<{ status: number; data: T }>;
}

/** Refuses a misspelt option of `rest()` itself (`queryBatchSise`). */
export function checkRestOptions(options: RestOptions): void {
  checkOptionNames(options, ["describeCache", "queryBatchSize"], "rest()", { batchSize: "queryBatchSize" });
}

export function createContext(client: Client, options: RestOptions): RestContext {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  const setting = options.describeCache;
  const ttl =
    setting === true ? Number.POSITIVE_INFINITY : setting ? (setting.ttl ?? Number.POSITIVE_INFINITY) : 0;
  if (options.queryBatchSize !== undefined) checkBatchSize(options.queryBatchSize);
  return {
    client,
    options,
    cached(key, refresh, load) {
      if (!ttl) return load();
      const hit = cache.get(key);
      if (hit && !refresh && Date.now() - hit.at < ttl) return hit.value as ReturnType<typeof load>;
      const value = load();
      cache.set(key, { at: Date.now(), value });
      value.catch(() => {
        if (cache.get(key)?.value === value) cache.delete(key);
      });
      return value;
    },
    async call(request, callOptions) {
      if (!callOptions) {
        // The common case (no per-call options): nothing to merge, no copies.
        const response = await client.request(request);
        return { status: response.status, data: response.data as never };
      }
      checkOptionNames(
        callOptions,
        CALL_OPTION_NAMES,
        `The ${request.method ?? "GET"} ${request.path} call`,
        RENAMED,
      );
      const response = await client.request({
        ...request,
        headers: { ...request.headers, ...callOptions.headers },
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
        ...(callOptions.timeout !== undefined ? { timeout: callOptions.timeout } : {}),
      });
      return { status: response.status, data: response.data as never };
    },
  };
}

/**
 * Every option a REST call takes, whichever method: checked in `call()`, which every method
 * goes through, so that a misspelt one (`timout`, `allOrNothing`) fails before the request
 * instead of being ignored.
 */
const CALL_OPTION_NAMES = [
  "headers",
  "signal",
  "timeout",
  "includeDeleted",
  "batchSize",
  "tooling",
  "maxRecords",
  "followChildPages",
  "identifierIsUrl",
  "allOrNone",
  "collateSubrequests",
  "haltOnError",
  "method",
  "params",
  "body",
  "responseType",
  "in",
  "returning",
  "limit",
  "fields",
  "refresh",
  "field",
  "data",
];
const RENAMED = {
  allOrNothing: "allOrNone",
  timeoutMs: "timeout",
  pageSize: "batchSize",
  queryAll: "includeDeleted",
};

export function checkBatchSize(size: number): number {
  if (!Number.isInteger(size) || size < 200 || size > 2000) {
    throw new ConfigurationError(
      `batchSize ${size} is outside what Salesforce accepts: give an integer from 200 to 2000 (Sforce-Query-Options).`,
    );
  }
  return size;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Checks an sObject or field API name before it goes into a URL. */
export function checkName(name: unknown, what: string): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new ConfigurationError(
      `${JSON.stringify(name)} is not a valid ${what} API name (letters, digits and underscores, starting with a letter, e.g. "Account" or "My_Object__c").`,
    );
  }
  return name;
}

/** Checks a record id (or other caller-given segment) is present. */
export function checkId(id: unknown, what = "record id"): string {
  if (typeof id !== "string" || id.length === 0) {
    throw new ConfigurationError(`The ${what} is missing or not a string (got ${JSON.stringify(id)}).`);
  }
  return id;
}
