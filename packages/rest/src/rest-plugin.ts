import {
  type Client,
  ConfigurationError,
  type HttpMethod,
  type RequestOptions,
  type StandardSObjectName,
} from "@sfkit/core";
import { type CompositeApi, createComposite } from "./composite.js";
import { type RestOptions, checkId, checkRestOptions, createContext } from "./context.js";
import {
  type QueryAllOptions,
  type QueryMoreOptions,
  type QueryOptions,
  queryAll,
  queryIter,
  quickSearch,
  runQuery,
  runQueryMore,
  search,
} from "./query.js";
import { type SObjectApi, createSObject } from "./sobject.js";
import { encodePathSegment } from "./soql.js";
import type { QuickSearchOptions } from "./sosl.js";
import type {
  CallOptions,
  DescribeGlobalResult,
  LimitsResult,
  QueryAllResult,
  QueryResult,
  SObjectRecord,
  SearchResult,
  ToolingQueryResult,
} from "./types.js";
import { VERSION } from "./version.js";

/** Options of `restful` and `toolingExecute`. */
export interface RestfulOptions extends CallOptions {
  method?: HttpMethod | Lowercase<HttpMethod>;
  /** Query-string parameters, each encoded once. */
  params?: RequestOptions["query"];
  /** Request body: objects are sent as JSON, strings and bytes as they are. */
  body?: RequestOptions["body"];
  /** How to read the response; "auto" (default) follows its Content-Type. */
  responseType?: RequestOptions["responseType"];
}

export type { StandardSObjectName };

/** `sf.sobjects.X`: every name is an sObject; names in `Schema` get their record type. */
export type SObjects<Schema extends Record<string, object>> = {
  readonly [K in keyof Schema]: SObjectApi<Schema[K]>;
} & { readonly [K in Exclude<StandardSObjectName, keyof Schema>]: SObjectApi<SObjectRecord> } & {
  readonly [name: string]: SObjectApi<SObjectRecord>;
};

/** The keys `rest()` adds to a client. */
export interface RestApi<Schema extends Record<string, object> = {}> {
  /** The sObject `name` (the same object as `sobjects[name]`). Narrow its records with a generic. */
  sobject<T extends object = SObjectRecord>(name: string): SObjectApi<T>;
  /** `sf.sobjects.Contact`: the same objects as `sobject("Contact")`. */
  readonly sobjects: SObjects<Schema>;
  /** One page of a SOQL query (`GET query?q=`; `/queryAll` with `includeDeleted`). */
  query<T = SObjectRecord>(soql: string, options?: QueryOptions): Promise<QueryResult<T>>;
  /** The next page, by locator or by `nextRecordsUrl` (followed verbatim). */
  queryMore<T = SObjectRecord>(locatorOrUrl: string, options?: QueryMoreOptions): Promise<QueryResult<T>>;
  /** Every page as one result: `{ totalSize: all records, done: true, records }`. */
  queryAll<T = SObjectRecord>(soql: string, options?: QueryAllOptions): Promise<QueryAllResult<T>>;
  /** Record by record, one page in memory at a time. */
  queryIter<T = SObjectRecord>(soql: string, options?: QueryAllOptions): AsyncGenerator<T, void, undefined>;
  /** simple-salesforce's name for `queryIter`. */
  queryAllIter<T = SObjectRecord>(
    soql: string,
    options?: QueryAllOptions,
  ): AsyncGenerator<T, void, undefined>;
  /** A SOSL search: `{ searchRecords }`, or null when nothing was found. */
  search<T = SObjectRecord>(sosl: string, options?: CallOptions): Promise<SearchResult<T> | null>;
  /** `FIND {term}` with the term's reserved characters escaped. */
  quickSearch<T = SObjectRecord>(
    term: string,
    options?: CallOptions & QuickSearchOptions,
  ): Promise<SearchResult<T> | null>;
  /** Global describe (`GET sobjects`), cached when `describeCache` is on. */
  describe(options?: CallOptions & { refresh?: boolean }): Promise<DescribeGlobalResult>;
  /** Org limits (`GET limits`). */
  limits(options?: CallOptions): Promise<LimitsResult>;
  /** Any REST path under `/services/data/vNN.0/`; null for 204 or an empty body. */
  restful<T = unknown>(path: string, options?: RestfulOptions): Promise<T | null>;
  /** Any Tooling API path (`/services/data/vNN.0/tooling/...`); JSON or text; null when empty. */
  toolingExecute<T = unknown>(action: string, options?: RestfulOptions): Promise<T | null>;
  /** A Tooling API query (`GET tooling/query?q=`), one page; `queryMore` follows its nextRecordsUrl. */
  toolingQuery<T = SObjectRecord>(soql: string, options?: QueryOptions): Promise<ToolingQueryResult<T>>;
  /**
   * An OAuth endpoint of the instance (`/services/oauth2/<path>`, e.g. "userinfo" or "revoke")
   * with the session's bearer token: parsed JSON when the response says JSON, else null.
   */
  oauth2<T = unknown>(path: string, options?: RestfulOptions): Promise<T | null>;
  /** Whether the org is a sandbox (`SELECT IsSandbox FROM Organization`). */
  isSandbox(options?: CallOptions): Promise<boolean | null>;
  /** Sets a user's password (`POST sobjects/User/id/password`); null on 204. */
  setPassword(userId: string, password: string, options?: CallOptions): Promise<unknown>;
  /** sObject Collections, composite, composite batch and sObject Tree. */
  readonly composite: CompositeApi;
}

/** Property names that are never sObjects (so that `await`, JSON and inspection of `sobjects` behave). */
const NOT_SOBJECTS = new Set([
  "then",
  "catch",
  "finally",
  "toJSON",
  "toString",
  "valueOf",
  "constructor",
  "inspect",
  "asymmetricMatch",
  "nodeType",
  "tagName",
  "prototype",
  "__proto__",
  "$$typeof",
]);

function restPath(path: string): string {
  if (typeof path !== "string" || path === "") throw new ConfigurationError("restful() needs a path.");
  if (/^https?:\/\//i.test(path) || path.startsWith("/services/")) return path;
  return path.replace(/^\/+/, "");
}

/**
 * The REST plugin: `createClient(...).extend(rest())`. Give a record-type map to type
 * `sf.sobjects`: `rest<{ Contact: Contact }>()`.
 */
export function rest<Schema extends Record<string, object> = {}>(
  options: RestOptions = {},
): ((client: Client) => RestApi<Schema>) & { readonly pluginName: "rest"; readonly VERSION: string } {
  checkRestOptions(options);
  const plugin = (client: Client): RestApi<Schema> => {
    const ctx = createContext(client, options);
    const cache = new Map<string, SObjectApi<object>>();
    const sobject = <T extends object = SObjectRecord>(name: string): SObjectApi<T> => {
      const key = String(name).toLowerCase();
      let api = cache.get(key);
      if (!api) {
        api = createSObject<object>(ctx, name);
        cache.set(key, api);
      }
      return api as SObjectApi<T>;
    };
    const sobjects = new Proxy(Object.create(null) as Record<string, SObjectApi<object>>, {
      get(_target, property) {
        if (typeof property !== "string" || NOT_SOBJECTS.has(property)) return undefined;
        if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(property)) return undefined;
        return sobject(property);
      },
      has(_target, property) {
        return (
          typeof property === "string" &&
          !NOT_SOBJECTS.has(property) &&
          /^[A-Za-z][A-Za-z0-9_]*$/.test(property)
        );
      },
      ownKeys() {
        return [...cache.values()].map((api) => api.name);
      },
      getOwnPropertyDescriptor(_target, property) {
        if (typeof property !== "string") return undefined;
        const api = cache.get(property.toLowerCase());
        return api ? { value: api, enumerable: true, configurable: true, writable: false } : undefined;
      },
      set() {
        throw new ConfigurationError("sf.sobjects is read-only.");
      },
    }) as unknown as SObjects<Schema>;

    const restful = async <T>(path: string, opts?: RestfulOptions): Promise<T | null> => {
      const { data } = await ctx.call<T>(
        {
          method: opts?.method ?? "GET",
          path: restPath(path),
          ...(opts?.params ? { query: opts.params } : {}),
          ...(opts?.body !== undefined ? { body: opts.body } : {}),
          ...(opts?.responseType ? { responseType: opts.responseType } : {}),
        },
        opts,
      );
      return data === undefined || data === "" ? null : (data ?? null);
    };

    return {
      sobject,
      sobjects,
      query: (soql, opts) => runQuery(ctx, soql, opts),
      queryMore: (locator, opts) => runQueryMore(ctx, locator, opts),
      queryAll: (soql, opts) => queryAll(ctx, soql, opts),
      queryIter: (soql, opts) => queryIter(ctx, soql, opts),
      queryAllIter: (soql, opts) => queryIter(ctx, soql, opts),
      search: (sosl, opts) => search(ctx, sosl, opts),
      quickSearch: (term, opts) => quickSearch(ctx, term, opts),
      describe: (opts) =>
        ctx.cached("describe:global", opts?.refresh, async () => {
          return (await ctx.call<DescribeGlobalResult>({ path: "sobjects" }, opts)).data;
        }),
      limits: async (opts) => (await ctx.call<LimitsResult>({ path: "limits" }, opts)).data,
      restful,
      toolingExecute: (action, opts) => {
        if (typeof action !== "string" || action === "")
          throw new ConfigurationError("toolingExecute() needs an action path.");
        return restful(`tooling/${action.replace(/^\/+/, "")}`, opts);
      },
      toolingQuery: (soql, opts) =>
        runQuery(ctx, soql, opts, "tooling/query") as Promise<ToolingQueryResult<never>>,
      oauth2: async <T>(path: string, opts?: RestfulOptions): Promise<T | null> => {
        if (typeof path !== "string" || path === "")
          throw new ConfigurationError('oauth2() needs a path, e.g. "userinfo".');
        const response = await client.request<T>({
          method: opts?.method ?? "GET",
          path: `/services/oauth2/${path.replace(/^\/+/, "")}`,
          ...(opts?.params ? { query: opts.params } : {}),
          ...(opts?.body !== undefined ? { body: opts.body } : {}),
          ...(opts?.headers ? { headers: opts.headers } : {}),
          ...(opts?.signal ? { signal: opts.signal } : {}),
          ...(opts?.timeout !== undefined ? { timeout: opts.timeout } : {}),
        });
        return (response.headers["content-type"] ?? "").toLowerCase().includes("json")
          ? (response.data ?? null)
          : null;
      },
      isSandbox: async (opts) => {
        const page = await runQuery<{ IsSandbox?: boolean }>(
          ctx,
          "SELECT IsSandbox FROM Organization LIMIT 1",
          opts,
        );
        const value = page.records[0]?.IsSandbox;
        return typeof value === "boolean" ? value : null;
      },
      setPassword: async (userId, password, opts) => {
        if (typeof password !== "string" || password === "") {
          throw new ConfigurationError("setPassword() needs the new password as a non-empty string.");
        }
        const { data } = await ctx.call(
          {
            method: "POST",
            path: `sobjects/User/${encodePathSegment(checkId(userId, "user id"))}/password`,
            body: { NewPassword: password },
          },
          opts,
        );
        return data ?? null;
      },
      composite: createComposite(ctx),
    };
  };
  return Object.assign(plugin, { pluginName: "rest" as const, VERSION });
}
