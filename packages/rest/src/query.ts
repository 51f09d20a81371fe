import { ConfigurationError, SalesforceMalformedResponse, throwIfAborted } from "@sfkit/core";
import { type RestContext, checkBatchSize } from "./context.js";
import { encodePathSegment } from "./soql.js";
import { type QuickSearchOptions, buildQuickSearch } from "./sosl.js";
import type { CallOptions, QueryAllResult, QueryResult, SearchResult } from "./types.js";

/** Options of `query`, `queryMore`, `queryAll` and `queryIter`. */
export interface QueryOptions extends CallOptions {
  /** Include deleted and archived rows: uses `/queryAll` (Salesforce's name for it). */
  includeDeleted?: boolean;
  /** Page size hint, 200–2000 (`Sforce-Query-Options: batchSize`). */
  batchSize?: number;
  /** Query the Tooling API (`tooling/query`) instead of the data API. */
  tooling?: boolean;
}

/** Options of `queryAll` and `queryIter`. */
export interface QueryAllOptions extends QueryOptions {
  /**
   * Stop after exactly this many records. No page is fetched beyond what the limit needs,
   * and `queryAll` reports the cut (`truncated`, `remainder`, `nextRecordsUrl`).
   */
  maxRecords?: number;
  /** Follow child subqueries that page on their own (`done: false` inside a record). Default true. */
  followChildPages?: boolean;
}

/** Options of `queryMore`. */
export interface QueryMoreOptions extends QueryOptions {
  /** The identifier is a `nextRecordsUrl` (followed verbatim), not a bare locator. Detected when it starts with "/". */
  identifierIsUrl?: boolean;
}

function headersFor(ctx: RestContext, options: QueryOptions | undefined): Record<string, string> {
  const size = options?.batchSize ?? ctx.options.queryBatchSize;
  if (size === undefined) return {};
  return { "sforce-query-options": `batchSize=${checkBatchSize(size)}` };
}

/** Salesforce refuses request URLs longer than this with HTTP 414 (URI Too Long). */
const MAX_URL_CHARS = 16_384;
/** Room left for the instance, the path and the parameter name. */
const MAX_ENCODED_STATEMENT = MAX_URL_CHARS - 1_024;

/** Refuses, before sending, a statement whose URL Salesforce would refuse (414). */
export function checkStatementLength(statement: string, what: string): void {
  const encoded = encodeURIComponent(statement).length;
  if (encoded > MAX_ENCODED_STATEMENT) {
    throw new ConfigurationError(
      `${what}(): the statement is ${encoded.toLocaleString("en-US")} characters once URL-encoded, and Salesforce refuses request URLs over ${MAX_URL_CHARS.toLocaleString("en-US")} characters (HTTP 414). Split a long IN list into several queries, or use sf.bulk2.<Object>.query for large extracts.`,
      { code: "ERR_STATEMENT_TOO_LONG" },
    );
  }
}

function checkSoql(soql: unknown, what = "query"): string {
  if (typeof soql !== "string" || soql.trim() === "") {
    throw new ConfigurationError(`${what}() needs a SOQL string, e.g. "SELECT Id FROM Account".`);
  }
  checkStatementLength(soql, what);
  return soql;
}

function checkPage<T>(data: unknown, url: string): QueryResult<T> {
  const page = data as QueryResult<T> | null;
  if (!page || typeof page !== "object" || !Array.isArray(page.records) || typeof page.done !== "boolean") {
    throw new SalesforceMalformedResponse(
      `${url} did not return a query result ({ totalSize, done, records }); got ${JSON.stringify(data)?.slice(0, 200)}`,
      { url, content: data, code: "ERR_MALFORMED_RESPONSE" },
    );
  }
  if (!page.done && typeof page.nextRecordsUrl !== "string") {
    throw new SalesforceMalformedResponse(`${url} returned done: false without a nextRecordsUrl.`, {
      url,
      content: data,
      code: "ERR_MALFORMED_RESPONSE",
    });
  }
  return page;
}

export async function runQuery<T>(
  ctx: RestContext,
  soql: string,
  options: QueryOptions | undefined,
  resource = options?.tooling ? "tooling/query" : options?.includeDeleted ? "queryAll" : "query",
): Promise<QueryResult<T>> {
  checkSoql(soql);
  const { data } = await ctx.call(
    { path: resource, query: { q: soql }, headers: headersFor(ctx, options) },
    options,
  );
  return checkPage<T>(data, resource);
}

/** A locator (`01gD0000002HU6KIAW-2000`) or a `nextRecordsUrl` → the path core should call. */
function morePath(identifier: string, options: QueryMoreOptions | undefined): string {
  if (typeof identifier !== "string" || identifier === "") {
    throw new ConfigurationError("queryMore() needs a query locator or a nextRecordsUrl.");
  }
  if (/^https?:\/\//i.test(identifier) || identifier.startsWith("/")) return identifier;
  if (options?.identifierIsUrl) {
    if (identifier.startsWith("services/")) return `/${identifier}`;
    throw new ConfigurationError(
      `identifierIsUrl was set but ${JSON.stringify(identifier)} is not a URL; pass the nextRecordsUrl as Salesforce gave it ("/services/data/vNN.0/query/01g...").`,
    );
  }
  const resource = options?.tooling ? "tooling/query" : options?.includeDeleted ? "queryAll" : "query";
  return `${resource}/${encodePathSegment(identifier)}`;
}

export async function runQueryMore<T>(
  ctx: RestContext,
  identifier: string,
  options?: QueryMoreOptions,
): Promise<QueryResult<T>> {
  const path = morePath(identifier, options);
  const { data } = await ctx.call({ path, headers: headersFor(ctx, options) }, options);
  return checkPage<T>(data, path);
}

function isChildResult(value: unknown): value is QueryResult<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Array.isArray((value as QueryResult).records) &&
    typeof (value as QueryResult).done === "boolean"
  );
}

/** Completes child subquery results that page on their own, at every level, in place. */
async function completeChildren(ctx: RestContext, record: unknown, options: QueryOptions): Promise<void> {
  if (typeof record !== "object" || record === null) return;
  for (const [key, value] of Object.entries(record)) {
    if (key === "attributes" || !isChildResult(value)) continue;
    let page: QueryResult<unknown> = value;
    const records = [...value.records];
    while (!page.done) {
      page = await runQueryMore(ctx, page.nextRecordsUrl!, { ...options, identifierIsUrl: true });
      records.push(...page.records);
    }
    for (const child of records) await completeChildren(ctx, child, options);
    const completed: QueryResult<unknown> = { ...value, done: true, records };
    delete completed.nextRecordsUrl;
    (record as Record<string, unknown>)[key] = completed;
  }
}

function checkMax(max: number | undefined): number {
  if (max === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(max) || max < 1) {
    throw new ConfigurationError(`maxRecords must be a positive integer, not ${max}.`);
  }
  return max;
}

/** Pages of a query, each fetched only when the previous one is consumed. */
async function* pages<T>(
  ctx: RestContext,
  soql: string,
  options: QueryAllOptions | undefined,
): AsyncGenerator<QueryResult<T>> {
  const opts = options ?? {};
  let page = await runQuery<T>(ctx, soql, opts);
  for (;;) {
    if (opts.followChildPages !== false) {
      for (const record of page.records) await completeChildren(ctx, record, opts);
    }
    yield page;
    if (page.done) return;
    page = await runQueryMore<T>(ctx, page.nextRecordsUrl!, { ...opts, identifierIsUrl: true });
  }
}

/** Streams records page by page: one page in memory at a time. */
export async function* queryIter<T>(
  ctx: RestContext,
  soql: string,
  options?: QueryAllOptions,
): AsyncGenerator<T, void, undefined> {
  checkSoql(soql, "queryIter");
  const max = checkMax(options?.maxRecords);
  let count = 0;
  const signal = options?.signal;
  for await (const page of pages<T>(ctx, soql, options)) {
    for (const record of page.records) {
      yield record;
      if (++count >= max) return;
      throwIfAborted(signal, "queryIter()");
    }
  }
}

/** Every page of a query, as one result. */
export async function queryAll<T>(
  ctx: RestContext,
  soql: string,
  options?: QueryAllOptions,
): Promise<QueryAllResult<T>> {
  checkSoql(soql, "queryAll");
  const max = checkMax(options?.maxRecords);
  const records: T[] = [];
  let serverTotal = 0;
  for await (const page of pages<T>(ctx, soql, options)) {
    serverTotal = page.totalSize;
    const room = max - records.length;
    if (page.records.length <= room) {
      records.push(...page.records);
      if (records.length === max && !page.done) {
        return {
          totalSize: serverTotal,
          done: false,
          records,
          truncated: true,
          remainder: [],
          nextRecordsUrl: page.nextRecordsUrl!,
        };
      }
      continue;
    }
    records.push(...page.records.slice(0, room));
    return {
      totalSize: serverTotal,
      done: false,
      records,
      truncated: true,
      remainder: page.records.slice(room),
      ...(page.nextRecordsUrl ? { nextRecordsUrl: page.nextRecordsUrl } : {}),
    };
  }
  return { totalSize: records.length, done: true, records };
}

/** `GET search?q=`: the `{ searchRecords }` result, or null when nothing was found. */
export async function search<T>(
  ctx: RestContext,
  sosl: string,
  options?: CallOptions,
): Promise<SearchResult<T> | null> {
  if (typeof sosl !== "string" || sosl.trim() === "") {
    throw new ConfigurationError('search() needs a SOSL string, e.g. "FIND {Acme}".');
  }
  checkStatementLength(sosl, "search");
  const { data } = await ctx.call({ path: "search", query: { q: sosl } }, options);
  return normalizeSearch<T>(data);
}

/** Accepts every shape the versions send: `{searchRecords: [...]}` (v36+), a bare array (≤ v35), empty. */
export function normalizeSearch<T>(data: unknown): SearchResult<T> | null {
  if (data === null || data === undefined || data === "") return null;
  if (Array.isArray(data)) return data.length ? { searchRecords: data as T[] } : null;
  if (typeof data === "object") {
    const records = (data as { searchRecords?: unknown }).searchRecords;
    if (records === undefined && Object.keys(data).length === 0) return null;
    if (Array.isArray(records)) return records.length ? (data as SearchResult<T>) : null;
  }
  throw new SalesforceMalformedResponse(
    `search did not return search results; got ${JSON.stringify(data)?.slice(0, 200)}`,
    { content: data, code: "ERR_MALFORMED_RESPONSE" },
  );
}

export function quickSearch<T>(
  ctx: RestContext,
  term: string,
  options?: CallOptions & QuickSearchOptions,
): Promise<SearchResult<T> | null> {
  return search<T>(ctx, buildQuickSearch(term, options), options);
}
